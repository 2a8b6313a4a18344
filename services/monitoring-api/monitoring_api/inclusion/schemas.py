"""Request and response bodies for inclusion cases, their steps and the public notice."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from monitoring_api.households.schemas import RiskCause
from monitoring_api.inclusion.enums import CaseStatus, Channel, Decision, Step, SubjectKind

Text = Annotated[str, Field(min_length=1, max_length=2000)]
PersonName = Annotated[str, Field(min_length=1, max_length=50)]


class CaseCreate(BaseModel):
    household_id: Annotated[int, Field(ge=1, le=2**62)]
    channel: Channel
    clue_date: date = Field(description="the day the first clue arrived; the 15-day clock starts here")
    clue_note: Text | None = None
    subject_kind: SubjectKind | None = Field(default=None, description="may also be named at verification or decision")
    risk_causes: Annotated[list[RiskCause], Field(max_length=5)] = []


class StepFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    taken_on: date | None = Field(default=None, description="today if omitted")
    actor_name: PersonName | None = Field(default=None, description="the caller's name if omitted")


class VerificationStep(StepFields):
    step: Literal[Step.verification]
    authorisation_signed: bool = Field(description="授权承诺书 signed by the household")
    authorisation_date: date | None = None
    note: Text | None = Field(default=None, description="what the visit found")
    subject_kind: SubjectKind | None = None


class NoticeStep(StepFields):
    step: Literal[Step.notice]
    notice_start: date
    notice_end: date = Field(description="inclusive: a notice from the 1st to the 5th lasts 5 days")
    note: Text | None = Field(default=None, description="the result of the democratic appraisal")


class TownReviewStep(StepFields):
    step: Literal[Step.town_review]
    agree: bool = Field(description="disagreeing ends the case as 不予纳入 with the opinion as its reason")
    opinion: Text


class DistrictApprovalStep(StepFields):
    step: Literal[Step.district_approval]
    decision: Decision
    reason: Text | None = Field(default=None, description="required for 不予纳入")
    subject_kind: SubjectKind | None = None


StepCreate = Annotated[
    VerificationStep | NoticeStep | TownReviewStep | DistrictApprovalStep, Field(discriminator="step")
]


class StepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    step: Step
    taken_on: date
    actor: str
    actor_name: str
    actor_role: str
    result: str
    note: str | None
    authorisation_signed: bool | None
    authorisation_date: date | None
    notice_start: date | None
    notice_end: date | None
    recorded_at: datetime


class CaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    region_code: str
    channel: Channel
    clue_date: date
    clue_note: str | None
    subject_kind: SubjectKind | None
    risk_causes: list[str]
    assessment_id: int | None
    stage: Step = Field(description="the last step taken")
    status: CaseStatus
    decided_on: date | None
    refusal_reason: str | None
    opened_by: str
    created_at: datetime
    updated_at: datetime
    version: int
    decision_due_on: date | None = Field(default=None, description="clue date + clue_to_decision_max_days")
    days_taken: int | None = Field(default=None, description="clue to decision, or to today while open")


class CaseDetail(CaseRead):
    steps: list[StepRead]


class NoticeMember(BaseModel):
    name: str
    relation: str


class PublicNotice(BaseModel):
    """What the village posts: names masked; never ID numbers, phones, bank accounts or health."""

    case_id: int
    village_code: str
    village_name: str | None
    head_name: str = Field(description="masked: 李*英")
    household_size: int
    members: list[NoticeMember] = Field(description="names masked, with their relation to the head")
    subject_kind: SubjectKind | None
    decision: str = Field(description="the village appraisal put up for objection: 拟纳入监测对象(…)")
    risk_causes: list[str] = Field(description="risk types, without 因病 and 因残 (health is never shown)")
    channel: Channel
    notice_start: date
    notice_end: date
