"""Request and response bodies of subsidy grants."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from employment_api.days import Day
from employment_api.problems import cents
from employment_api.roster.schemas import Person
from employment_api.subsidies.enums import SubsidyKind

Amount = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2, description="yuan"), AfterValidator(cents)]
Who = Annotated[str, Field(min_length=1, max_length=50, description="the office that approved the grant")]
Notes = Annotated[str, Field(min_length=1, max_length=2000)]
Period = Annotated[
    str,
    Field(
        min_length=1,
        max_length=7,
        description="YYYY for a yearly subsidy (交通补贴), YYYY-MM for a monthly one (公益性岗位补贴); "
        "omitted for a one-off (一次性创业补贴)",
    ),
]


class SubsidyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labourer_id: Annotated[int, Field(ge=1, le=2**62, description="the roster's labourer id")]
    kind: SubsidyKind
    period: Period | None = None
    amount: Amount
    granted_on: Day
    granted_by: Who
    notes: Notes | None = None


class SubsidyUpdate(BaseModel):
    """Who, which subsidy and which period are the grant; a wrong one is revoked and granted anew."""

    model_config = ConfigDict(extra="forbid")

    amount: Amount | None = None
    granted_on: Day | None = None
    granted_by: Who | None = None
    notes: Notes | None = None


class SubsidyRevoke(BaseModel):
    model_config = ConfigDict(extra="forbid")

    revoked_on: Day
    reason: Annotated[str, Field(min_length=1, max_length=200)]


class SubsidyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    labourer_id: int
    kind: SubsidyKind
    period: str
    amount: Decimal
    granted_on: date
    granted_by: str
    notes: str | None
    recorded_by: str
    revoked_on: date | None
    revoke_reason: str | None
    created_at: datetime
    version: int


class SubsidyItem(SubsidyRead, Person):
    """A grant in a list: the labourer named, with their household and village."""


class SubsidyTotal(BaseModel):
    kind: SubsidyKind
    grants: int
    people: int
    amount: Decimal


class SubsidyTotals(BaseModel):
    region_code: str
    period_prefix: str | None
    totals: list[SubsidyTotal]
