"""Request and response bodies for measures, the flagged-household list and look-backs."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from monitoring_api.measures.enums import FlagReason, MeasureCategory, MeasureFamily, MeasureStatus

Owner = Annotated[str, Field(min_length=1, max_length=50, description="帮扶责任人")]
SubType = Annotated[str, Field(min_length=1, max_length=30, description="sub-type, valid for the category")]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, description="yuan")]


class MeasureCreate(BaseModel):
    category: MeasureCategory
    sub_type: SubType | None = None
    owner: Owner
    start_on: date
    end_on: date | None = None
    status: MeasureStatus = MeasureStatus.planned
    results: Text | None = None
    amount: Amount | None = None


class MeasureUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sub_type: SubType | None = None
    owner: Owner | None = None
    start_on: date | None = None
    end_on: date | None = None
    status: MeasureStatus | None = None
    results: Text | None = None
    amount: Amount | None = None


class MeasureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    region_code: str
    category: MeasureCategory
    family: MeasureFamily
    sub_type: str | None
    owner: str
    start_on: date
    end_on: date | None
    status: MeasureStatus
    results: str | None
    amount: Decimal | None
    created_at: datetime
    updated_at: datetime
    version: int


class FlaggedHousehold(BaseModel):
    """A labour-capable monitoring subject whose measures break the development-measure rule."""

    model_config = ConfigDict(from_attributes=True)

    household_id: int
    region_code: str
    head_name: str
    category: str
    included_on: date
    development_due_on: date = Field(description="inclusion + development_measure_within_months")
    reasons: list[FlagReason]


class LookbackCreate(BaseModel):
    due_on: date
    reason: Text


class LookbackRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    done_on: date
    findings: Text
    measures_effective: bool


class LookbackRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    region_code: str
    due_on: date
    reason: str
    elimination_id: int | None
    done_on: date | None
    findings: str | None
    measures_effective: bool | None
    recorded_by: str | None
    version: int
