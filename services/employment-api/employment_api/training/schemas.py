"""Request and response bodies of surveys, trainings, attendance and 雨露计划+ participants."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from dixian_shared.idnumber import ResidentId
from employment_api.days import Day
from employment_api.roster.schemas import Person
from employment_api.training.enums import AttendanceStatus, TrainingKind, YuluStage

Short = Annotated[str, Field(min_length=1, max_length=100)]
Who = Annotated[str, Field(min_length=1, max_length=50)]
Notes = Annotated[str, Field(min_length=1, max_length=2000)]
LabourerId = Annotated[int, Field(ge=1, le=2**62, description="the roster's labourer id")]
# To the tenth as NUMERIC(6,1) keeps them, so a write answers what a read returns (8 → 8.0, 1E+1 → 10.0).
Hours = Annotated[
    Decimal, Field(gt=0, max_digits=6, decimal_places=1), AfterValidator(lambda value: value.quantize(Decimal("0.1")))
]


class SurveyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labourer_id: LabourerId
    surveyed_on: Day
    surveyed_by: Who
    wants_training: bool
    wanted_skills: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    notes: Notes | None = None


class SurveyUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    surveyed_by: Who | None = None
    wants_training: bool | None = None
    wanted_skills: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    notes: Notes | None = None


class SurveyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    labourer_id: int
    surveyed_on: date
    surveyed_by: str
    wants_training: bool
    wanted_skills: str | None
    notes: str | None
    version: int


class SurveyItem(SurveyRead, Person):
    """A survey in a list: the labourer named, with their household and village."""


class SurveyDue(BaseModel):
    """A labourer whose training-needs survey is overdue."""

    labourer_id: int
    name: str
    household_id: int
    region_code: str
    last_surveyed_on: date | None
    due_on: date = Field(description="last survey (or joining the roster) + training_survey_every_months")


class TrainingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Short
    kind: TrainingKind
    region_code: Annotated[str, Field(pattern=r"^\d{12}$", description="where it is held")]
    organizer: Short
    start_on: Day
    end_on: Day
    hours: Hours | None = None


class TrainingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Short | None = None
    organizer: Short | None = None
    start_on: Day | None = None
    end_on: Day | None = None
    hours: Hours | None = None


class TrainingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    kind: TrainingKind
    region_code: str
    organizer: str
    start_on: date
    end_on: date
    hours: Decimal | None
    version: int


class AttendanceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labourer_id: LabourerId


class AttendanceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: AttendanceStatus | None = None
    certificate: Short | None = None


class AttendanceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    training_id: int
    labourer_id: int
    status: AttendanceStatus
    certificate: str | None
    version: int


class AttendanceItem(AttendanceRead, Person):
    """An attendance in a list: the labourer named, with their household and village."""


class ParticipantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: ResidentId
    name: Annotated[str, Field(min_length=1, max_length=50)]
    region_code: Annotated[str, Field(pattern=r"^\d{12}$", description="home village")]
    labourer_id: LabourerId | None = None
    school: Short
    major: Short | None = None
    enrolled_on: Day


class ParticipantUpdate(BaseModel):
    """The stage moves only by milestones (POST …/milestones)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=50)] | None = None
    labourer_id: LabourerId | None = None
    school: Short | None = None
    major: Short | None = None


class ParticipantRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    id_number: str
    name: str
    region_code: str
    labourer_id: int | None
    school: str
    major: str | None
    enrolled_on: date
    stage: YuluStage
    stage_on: date
    version: int


class MilestoneCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: YuluStage
    reached_on: Day
    employer: Short | None = None
    details: Notes | None = None


class MilestoneRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    participant_id: int
    stage: YuluStage
    reached_on: date
    employer: str | None
    details: str | None
    recorded_by: str
    created_at: datetime
