"""Ledger bodies: entries (Create / Update / Read) and the month's state report."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from dixian_shared.workdays import DayKind
from employment_api.ledger.enums import EmploymentStatus, JobChannel, MonthState, Place
from employment_api.problems import cents
from employment_api.roster.schemas import Named

Income = Annotated[Decimal, Field(ge=0, le=Decimal("999999.99"), max_digits=8, decimal_places=2), AfterValidator(cents)]
Reason = Annotated[str, Field(min_length=2, max_length=500)]


class JobFields(BaseModel):
    status: EmploymentStatus
    place: Place | None = None
    employer: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    months_worked: Annotated[int, Field(ge=0, le=12)] | None = None
    monthly_income: Income | None = None
    job_channel: JobChannel | None = None


class EntryCreate(JobFields):
    model_config = ConfigDict(extra="forbid")

    labourer_id: Annotated[int, Field(ge=1, le=2**62)]
    late_reason: Reason | None = None


class EntryUpdate(BaseModel):
    """Job fields only: who and which month an entry is for never change; `late_reason` when the month is locked."""

    model_config = ConfigDict(extra="forbid")

    status: EmploymentStatus | None = None
    place: Place | None = None
    employer: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    months_worked: Annotated[int, Field(ge=0, le=12)] | None = None
    monthly_income: Income | None = None
    job_channel: JobChannel | None = None
    late_reason: Reason | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set - {"late_reason"}:
            raise ValueError("send at least one field to change")
        return self


class EntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    labourer_id: int
    month: date
    region_code: str
    household_id: int
    status: str
    place: str | None
    employer: str | None
    months_worked: int | None
    monthly_income: Decimal | None
    job_channel: str | None
    late: bool
    late_reason: str | None
    version: int


class EntryItem(EntryRead, Named):
    """An entry in a list: the labourer named (the entry itself carries their household and village)."""


class DeadlineRead(BaseModel):
    nominal: date
    effective: date  # the last working day on or before the nominal one
    kind: DayKind  # what the nominal day is
    non_working_day: bool


class VillageMonth(BaseModel):
    region_code: str
    name: str
    state: MonthState
    labourers: int  # on the roster this month
    entries: int
    submitted_at: datetime | None
    submitted_late: bool
    confirmed_at: datetime | None
    confirmed_late: bool


class TownMonth(BaseModel):
    region_code: str
    name: str
    state: MonthState
    villages: int
    submitted: int
    confirmed: int


class MonthReport(BaseModel):
    month: str
    on: date
    village_deadline: DeadlineRead
    town_deadline: DeadlineRead
    towns: list[TownMonth]
    villages: list[VillageMonth]


class MonthRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    region_code: str
    month: date
    submitted_at: datetime | None
    submitted_by: str | None
    submitted_late: bool
    confirmed_at: datetime | None
    confirmed_by: str | None
    confirmed_late: bool
    version: int
