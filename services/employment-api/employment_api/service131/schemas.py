"""Request and response bodies of job-seeker registrations, 131 services and the list of what is missing."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from employment_api.days import Day
from employment_api.roster.schemas import Person
from employment_api.service131.enums import SeekerOutcome, ServicePart

Who = Annotated[str, Field(min_length=1, max_length=50, description="the adviser or office who gave the service")]
Details = Annotated[str, Field(min_length=1, max_length=2000)]
WantedJob = Annotated[str, Field(min_length=1, max_length=100, description="求职意向")]


class SeekerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labourer_id: Annotated[int, Field(ge=1, le=2**62, description="the roster's labourer id")]
    registered_on: Day
    wanted_job: WantedJob | None = None


class SeekerUpdate(BaseModel):
    """Closing a registration is its own step (POST …/close); the person is fixed."""

    model_config = ConfigDict(extra="forbid")

    registered_on: Day | None = None
    wanted_job: WantedJob | None = None


class SeekerClose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    closed_on: Day
    outcome: SeekerOutcome


class SeekerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    labourer_id: int
    registered_on: date
    wanted_job: str | None
    closed_on: date | None
    outcome: SeekerOutcome | None
    created_at: datetime
    version: int


class SeekerItem(SeekerRead, Person):
    """A registration in a list: the job seeker named, with their household and village."""


class ServiceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    part: ServicePart
    served_on: Day
    served_by: Who
    details: Details | None = None


class ServiceUpdate(BaseModel):
    """The part a record counts for is fixed; a wrong part is a new record."""

    model_config = ConfigDict(extra="forbid")

    served_on: Day | None = None
    served_by: Who | None = None
    details: Details | None = None


class ServiceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    seeker_id: int
    part: ServicePart
    served_on: date
    served_by: str
    details: str | None
    recorded_by: str
    created_at: datetime
    version: int


class MissingService(BaseModel):
    """An open job seeker short of at least one part of the 131 service."""

    seeker_id: int
    labourer_id: int
    name: str
    household_id: int
    region_code: str
    registered_on: date
    done: dict[ServicePart, int] = Field(description="services recorded, per part")
    missing: dict[ServicePart, int] = Field(description="services still owed, per part (only parts short)")


class MissingCount(BaseModel):
    region_code: str
    seekers: int = Field(description="open job seekers short of any part")
    by_part: dict[ServicePart, int] = Field(description="of them, short of each part")


class MissingSummary(BaseModel):
    total: MissingCount
    villages: list[MissingCount]
