"""Request and response bodies of allocations, payments and disbursement rates."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from funds_api.values import Day, Fen, NotBlank, Yuan

Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2, description="yuan"), Fen]


class AllocationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fund_source_id: int = Field(ge=1, le=2**62)
    project_id: int = Field(ge=1, le=2**62)
    amount: Money
    allocated_on: Day
    document_number: Annotated[str, Field(min_length=1, max_length=100), NotBlank] | None = None
    note: Annotated[str, Field(max_length=4000)] | None = None


class AllocationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    fund_source_id: int
    project_id: int
    region_code: str
    amount: Yuan
    paid: Yuan
    allocated_on: date
    document_number: str | None
    note: str | None
    allocated_by: str
    created_at: datetime
    version: int


class PaymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allocation_id: int = Field(ge=1, le=2**62)
    paid_on: Day
    amount: Money
    voucher_number: Annotated[str, Field(min_length=1, max_length=60, description="凭证号"), NotBlank]
    note: Annotated[str, Field(max_length=4000)] | None = None


class PaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    allocation_id: int
    project_id: int
    fund_source_id: int
    region_code: str
    paid_on: date
    amount: Yuan
    voucher_number: str
    note: str | None
    paid_by: str
    created_at: datetime


class MilestoneRead(BaseModel):
    min_rate: Decimal
    nominal_deadline: date
    effective_deadline: date
    non_working_day: bool


class RateRow(BaseModel):
    """Money of a group (a project, department, town or fund source) as of a day, against the milestones."""

    key: str
    label: str
    allocated: Yuan
    paid: Yuan
    rate: Decimal | None = Field(description="拨付率 = paid / allocated, 4 places; none while nothing is allocated")
    meets_target: bool = Field(description="rate at or above the milestone in view")
    projects: int
    lagging: int = Field(description="projects below the milestone in view")
    missed: int = Field(description="projects below a milestone already past")


class Rollup(BaseModel):
    year: int
    as_of: date
    level: str
    target: MilestoneRead = Field(description="the milestone in view: the next one due (today included), else the last")
    passed: MilestoneRead | None = Field(description="the latest milestone already past")
    total: RateRow
    rows: list[RateRow]


class ProjectRate(BaseModel):
    project_id: int
    name: str
    region_code: str
    town_code: str
    owner_department: str
    allocated: Yuan
    paid: Yuan
    rate: Decimal | None
    lagging: bool
    missed: bool
