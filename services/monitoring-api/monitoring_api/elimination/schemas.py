"""Request and response bodies of risk elimination."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from monitoring_api.elimination.enums import EliminationKind, EliminationStatus, EliminationStep

Note = Annotated[str, Field(min_length=1, max_length=4000)]


class EliminationCreate(BaseModel):
    kind: EliminationKind
    risk_resolved: bool = Field(description="the caller confirms the original risk is gone and no new one appeared")
    risk_note: Note | None = Field(default=None, description="how the risk went away")
    clear_risk_causes: bool = Field(default=False, description="clear the household's recorded risk causes")


class VerificationStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    done_on: date
    passed: bool
    note: Note | None = None


class NoticeStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notice_from: date = Field(description="first day of the village public notice (公示)")
    notice_to: date = Field(description="last day of the notice, included")
    passed: bool = Field(description="appraisal agreed and no objection upheld")
    note: Note | None = None


class TownReviewStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    done_on: date = Field(description="the day the town reviewed (乡镇审核), not before the notice ended")
    passed: bool = Field(description="the town agrees; a town that disagrees ends the elimination")
    note: Note | None = Field(default=None, description="the town's opinion; required when it disagrees")


class ApprovalStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decided_on: date
    approved: bool
    note: Note | None = None


class StepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    step: EliminationStep
    passed: bool
    done_on: date
    actor: str
    actor_role: str
    note: str | None
    notice_from: date | None
    notice_to: date | None
    recorded_at: datetime


class EliminationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    region_code: str
    kind: EliminationKind
    status: EliminationStatus
    opened_on: date
    opened_by: str
    risk_note: str
    cleared_risk_causes: list[str]
    included_on: date | None
    category_before: str
    category_after: str | None
    notice_from: date | None
    notice_to: date | None
    decided_on: date | None
    created_at: datetime
    updated_at: datetime
    version: int


class EliminationDetail(EliminationRead):
    evidence: dict[str, Any]
    steps: list[StepRead]


class ReadyItem(BaseModel):
    """A subject meeting every precondition the data decides; the proposer still confirms the risk is gone."""

    household_id: int
    region_code: str
    head_name: str
    category: str
    included_on: date | None
    risk_causes: list[str] = Field(description="recorded risk causes, cleared with the elimination if proposed")
    evidence: dict[str, Any] = Field(description="what the preconditions saw")
