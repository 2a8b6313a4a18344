"""Request and response bodies for assessments, town reviews and the overdue report."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from monitoring_api.assessments.enums import Outcome, OverdueKind
from monitoring_api.assessments.months import Month
from monitoring_api.households.enums import MAX_RISK_CAUSES
from monitoring_api.households.schemas import RiskCause, not_null

Text = Annotated[str, Field(min_length=1, max_length=2000)]
PersonName = Annotated[str, Field(min_length=1, max_length=50)]
RiskCauses = Annotated[
    list[RiskCause], Field(max_length=MAX_RISK_CAUSES, description="up to five, from DOMAIN.md's list")
]


class AssessmentFields(BaseModel):
    outcome: Outcome
    risk_causes: RiskCauses = []
    reasons: Text | None = Field(default=None, description="required for every outcome except 无风险")
    assessed_by: PersonName | None = Field(default=None, description="who assessed; the caller's name if omitted")
    assessed_on: date | None = Field(default=None, description="today if omitted")


class AssessmentCreate(AssessmentFields):
    household_id: Annotated[int, Field(ge=1, le=2**62)]
    month: Month


class AssessmentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome | None = None
    risk_causes: RiskCauses | None = None
    reasons: Text | None = Field(default=None, description="null clears it (only 无风险 may be without reasons)")
    assessed_by: PersonName | None = None
    assessed_on: date | None = None

    # An assessment cannot be without these (no risk causes is [], not null); a null is refused rather than ignored.
    _required = field_validator("outcome", "risk_causes", "assessed_by", "assessed_on")(not_null)


class ReviewCreate(BaseModel):
    agree: bool = Field(description="the town agrees with 暂不纳入")
    opinion: Text
    outcome: Outcome | None = Field(
        default=None, description="when disagreeing: the decision instead, 纳入监测 or 持续关注 (required then)"
    )
    reviewer_name: PersonName | None = None
    reviewed_on: date | None = Field(default=None, description="today if omitted")


class ReviewRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    agree: bool
    opinion: str
    outcome_before: Outcome
    outcome_after: Outcome
    reviewed_by: str
    reviewer_name: str
    reviewed_on: date


class AssessmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    region_code: str
    month: date
    outcome: Outcome
    risk_causes: list[str]
    reasons: str | None
    assessed_by: str
    assessed_on: date
    recorded_by: str
    created_at: datetime
    updated_at: datetime
    version: int


class AssessmentDetail(AssessmentRead):
    review: ReviewRead | None
    review_due_on: date | None = Field(description="暂不纳入: the last day of the month, by when the town reviews")
    inclusion_case_id: int | None = Field(description="the case this assessment opened, if any")


class OverdueCounts(BaseModel):
    watch_not_reassessed: int = Field(0, description="持续关注 with no assessment this month")
    not_now_unreviewed: int = Field(0, description="暂不纳入 not reviewed by the town by month end")


class RegionOverdue(OverdueCounts):
    region_code: str
    name: str | None


class OverdueItem(BaseModel):
    kind: OverdueKind
    region_code: str
    household_id: int
    head_name: str
    assessment_id: int
    month: date
    overdue_since: date


class OverdueReport(BaseModel):
    as_of: date
    totals: OverdueCounts
    towns: list[RegionOverdue]
    villages: list[RegionOverdue]
    items: list[OverdueItem]
    next_cursor: str | None = None
