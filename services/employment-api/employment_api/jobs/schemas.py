"""Request and response bodies of positions and occupancies."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from employment_api.days import Day
from employment_api.jobs.enums import PositionKind
from employment_api.problems import cents
from employment_api.roster.schemas import Person

Name = Annotated[str, Field(min_length=1, max_length=100)]
Pay = Annotated[
    Decimal, Field(ge=0, max_digits=14, decimal_places=2, description="yuan a month"), AfterValidator(cents)
]
Notes = Annotated[str, Field(min_length=1, max_length=2000)]
RegionCode = Annotated[str, Field(pattern=r"^\d{12}$", description="the place: village, town or district code")]
LabourerId = Annotated[int, Field(ge=1, le=2**62, description="the roster's labourer id")]


class PositionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: PositionKind
    name: Name
    region_code: RegionCode
    employer: Name
    monthly_pay: Pay | None = None
    opened_on: Day
    closed_on: Day | None = None
    notes: Notes | None = None


class PositionUpdate(BaseModel):
    """The kind and place of a position are what it is; a different one is a new position."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    employer: Name | None = None
    monthly_pay: Pay | None = None
    opened_on: Day | None = None
    closed_on: Day | None = None
    notes: Notes | None = None


class PositionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: PositionKind
    name: str
    region_code: str
    employer: str
    monthly_pay: Decimal | None
    opened_on: date
    closed_on: date | None
    notes: str | None
    created_at: datetime
    updated_at: datetime
    version: int


class OccupancyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labourer_id: LabourerId
    start_on: Day
    end_on: Day | None = None


class OccupancyUpdate(BaseModel):
    """Who holds which position is fixed; the period and why it ended may be corrected."""

    model_config = ConfigDict(extra="forbid")

    start_on: Day | None = None
    end_on: Day | None = None
    end_reason: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class OccupancyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    position_id: int
    labourer_id: int
    kind: PositionKind
    start_on: date
    end_on: date | None
    end_reason: str | None
    created_at: datetime
    updated_at: datetime
    version: int


class OccupancyItem(OccupancyRead, Person):
    """An occupancy in a list: the holder named, with their household and village."""
