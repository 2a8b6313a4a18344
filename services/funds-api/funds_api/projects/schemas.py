"""Request and response bodies of the project library."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from dixian_shared.regioncode import RegionCode
from funds_api.assets.schemas import AssetFormed
from funds_api.projects.enums import ChangeStatus, Progress, ProjectStatus, ProjectType, ReviewKind, Step, TargetKind
from funds_api.sources.enums import FundLevel
from funds_api.values import Day, Fen, NotBlank, Yuan

Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2, description="yuan"), Fen]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, description="yuan"), Fen]
Name = Annotated[str, Field(min_length=1, max_length=200), NotBlank]
Department = Annotated[str, Field(min_length=1, max_length=50, description="项目主管部门, e.g. 区农办"), NotBlank]
Text = Annotated[str, Field(min_length=1, max_length=4000), NotBlank]
Reason = Annotated[str, Field(min_length=1, max_length=2000), NotBlank]


class PerformanceTarget(BaseModel):
    """One 绩效目标 indicator."""

    model_config = ConfigDict(extra="forbid")

    kind: TargetKind
    indicator: Annotated[str, Field(min_length=1, max_length=100, description="指标名称"), NotBlank]
    target: Annotated[str, Field(min_length=1, max_length=100, description="指标值, e.g. ≥ 30 户"), NotBlank]


class PlannedFunding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: FundLevel
    amount: Money


Targets = Annotated[list[PerformanceTarget], Field(min_length=1, max_length=50)]
Plan = Annotated[list[PlannedFunding], Field(max_length=10)]


class ProjectCreate(BaseModel):
    """村申报: a village declares a project for a library year."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    name: Name
    type: ProjectType
    region_code: RegionCode
    owner_department: Department
    budget: Money
    funding_plan: Plan = []
    performance_targets: Targets
    description: Text | None = None
    contact_person: Annotated[str, Field(max_length=50)] | None = None
    contact_phone: Annotated[str, Field(max_length=20, pattern=r"^[0-9+\- ]+$")] | None = None


class ProjectUpdate(BaseModel):
    """What a plain PATCH may change. Everything the workflow or an approved change decides is refused here."""

    model_config = ConfigDict(extra="forbid")

    description: Text | None = None
    contact_person: Annotated[str, Field(max_length=50)] | None = None
    contact_phone: Annotated[str, Field(max_length=20, pattern=r"^[0-9+\- ]+$")] | None = None
    progress: Literal[Progress.not_started, Progress.in_progress] | None = Field(
        default=None, description="未开工/在建; 已完工 is recorded by POST /projects/{id}/completion"
    )


class TownReview(BaseModel):
    """乡审核: the town agrees (and posts the public notice) or returns the project with its reason."""

    model_config = ConfigDict(extra="forbid")

    agree: bool
    opinion: Reason | None = None
    notice_start: Day | None = None
    notice_end: Day | None = None
    taken_on: Day | None = None


class DistrictApproval(BaseModel):
    """区审定: the district approves the project into the library, or refuses it with a reason."""

    model_config = ConfigDict(extra="forbid")

    approve: bool
    reason: Reason | None = None
    taken_on: Day | None = None


class Completion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    completed_on: Day
    assets: list[AssetFormed] = Field(
        default=[], max_length=200, description="扶贫项目资产 the project formed, registered with its completion"
    )


class ProjectRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    year: int
    name: str
    type: ProjectType
    region_code: str
    town_code: str
    owner_department: str
    budget: Yuan
    funding_plan: list[PlannedFunding]
    performance_targets: list[PerformanceTarget]
    description: str | None
    contact_person: str | None
    contact_phone: str | None
    status: ProjectStatus
    declared_on: date
    declared_by: str
    notice_start: date | None
    notice_end: date | None
    decided_on: date | None
    refusal_reason: str | None
    progress: Progress
    completed_on: date | None
    created_at: datetime
    updated_at: datetime
    version: int


class StepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    step: Step
    taken_on: date
    actor: str
    actor_role: str
    result: str
    note: str | None


class ProjectNotice(BaseModel):
    """The public notice (公示) of a project the town agreed to: what the public is shown."""

    project_id: int
    year: int
    name: str
    type: ProjectType
    region_code: str
    owner_department: str
    budget: Yuan
    performance_targets: list[PerformanceTarget]
    notice_start: date
    notice_end: date


ChangeField = Literal[
    "name", "type", "region_code", "owner_department", "budget", "funding_plan", "performance_targets", "description"
]


class ChangeAfter(BaseModel):
    """The fields a 项目变更 may set; only those given change."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    type: ProjectType | None = None
    region_code: RegionCode | None = None
    owner_department: Department | None = None
    budget: Money | None = None
    funding_plan: Plan | None = None
    performance_targets: Targets | None = None
    description: Text | None = None


class ChangeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    after: ChangeAfter
    reason: Reason


class ChangeDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approve: bool
    note: Reason | None = None


class ChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    region_code: str
    reason: str
    before: dict[str, object]
    after: dict[str, object]
    project_version: int
    status: ChangeStatus
    requested_on: date
    requested_by: str
    decided_on: date | None
    decided_by: str | None
    decision_note: str | None
    version: int


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ReviewKind
    reviewed_on: Day
    agency: Annotated[str, Field(min_length=1, max_length=100, description="评审机构"), NotBlank]
    submitted_amount: Amount
    approved_amount: Amount
    conclusion: Text


class ReviewRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    kind: ReviewKind
    reviewed_on: date
    agency: str
    submitted_amount: Yuan
    approved_amount: Yuan
    conclusion: str
    recorded_by: str
    created_at: datetime


class TownLibrary(BaseModel):
    """One town's state of a library year (next year's library opens in July and is due by 31 October)."""

    town_code: str
    town_name: str
    declared: int
    awaiting_town: int
    awaiting_district: int
    approved: int
    returned: int
    refused: int
    complete: bool = Field(description="at least one project declared and none awaiting a review")
    late: bool
    days_late: int


class LibraryProgress(BaseModel):
    year: int
    on: date
    opens_on: date
    nominal_deadline: date
    effective_deadline: date
    non_working_day: bool
    is_open: bool
    towns: list[TownLibrary]
