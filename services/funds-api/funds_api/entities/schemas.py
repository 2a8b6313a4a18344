"""Request and response bodies of business entities, bases and 联农带农 links."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from funds_api.entities.enums import EntityKind, LinkKind
from funds_api.values import AsStoredCents, Day, Fen, NotBlank, Yuan

Name = Annotated[str, Field(min_length=1, max_length=100), NotBlank]
RegionCode = Annotated[str, Field(pattern=r"^\d{12}$")]
Note = Annotated[str, Field(min_length=1, max_length=2000), NotBlank]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2), Fen]
CreditCode = Annotated[str, Field(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$", description="统一社会信用代码")]


class EntityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    kind: EntityKind
    credit_code: CreditCode
    region_code: RegionCode
    legal_person: Annotated[str, Field(min_length=1, max_length=50), NotBlank] | None = None
    established_on: Day
    note: Note | None = None


class EntityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    kind: EntityKind | None = None
    legal_person: Annotated[str, Field(min_length=1, max_length=50), NotBlank] | None = None
    closed_on: Day | None = None
    note: Note | None = None


class EntityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: EntityKind
    credit_code: str
    region_code: str
    legal_person: str | None
    established_on: date
    closed_on: date | None
    note: str | None
    created_at: datetime
    version: int


class BaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    entity_id: Annotated[int, Field(ge=1, le=2**62)]
    region_code: RegionCode
    industry: Annotated[str, Field(min_length=1, max_length=50), NotBlank]
    area_mu: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2), AsStoredCents] | None = None
    established_on: Day


class BaseUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    industry: Annotated[str, Field(min_length=1, max_length=50), NotBlank] | None = None
    area_mu: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2), AsStoredCents] | None = None
    closed_on: Day | None = None


class BaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    entity_id: int
    region_code: str
    industry: str
    area_mu: Decimal | None
    established_on: date
    closed_on: date | None
    created_at: datetime
    version: int


class LinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: Annotated[int, Field(ge=2000, le=2100)]
    kind: LinkKind
    base_id: Annotated[int, Field(ge=1, le=2**62)] | None = None
    households: Count
    lifted_households: Count
    people: Count = 0
    amount: Money
    note: Note | None = None


class LinkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    entity_id: int
    base_id: int | None
    region_code: str
    year: int
    kind: LinkKind
    households: int
    lifted_households: int
    people: int
    amount: Yuan
    note: str | None


class Totals(BaseModel):
    entities: int = Field(description="entities operating at some time in the year")
    bases: int = Field(description="bases operating at some time in the year")
    households_linked: int
    lifted_households_linked: int
    people_employed: int
    amount_to_farmers: Yuan


class KeyVillage(BaseModel):
    region_code: str
    name: str | None
    bases: int
    meets_minimum: bool


class EntityOverview(BaseModel):
    year: int
    region_code: str
    min_bases_per_key_village: int
    key_villages: list[KeyVillage]
    key_villages_short: int = Field(description="key-assistance villages with fewer bases than the minimum")
    totals: Totals
    baseline_year: int
    baseline: Totals
    baseline_from: str = Field(description="配置 (configured figures) or 台账 (computed from that year's records)")
    below_baseline: list[str] = Field(description="the totals that fall below the baseline")


FIELD_LABELS = {
    "credit_code": "统一社会信用代码",
    "legal_person": "法定代表人",
    "established_on": "成立日期",
    "closed_on": "停止经营日期",
    "entity_id": "经营主体",
    "industry": "产业",
    "area_mu": "面积（亩）",
    "base_id": "产业基地",
    "households": "带动农户数",
    "lifted_households": "其中脱贫户和监测户数",
    "people": "务工人数",
}
