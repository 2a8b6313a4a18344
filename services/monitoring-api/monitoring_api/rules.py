"""The rules with numbers (DOMAIN.md, "Rules with numbers"): configuration with the work plan's defaults.

Read from MONITORING_RULES__* (e.g. MONITORING_RULES__NOTICE_MIN_DAYS=7). Every field here has a test that fails
if the rule it drives is broken.
"""

from decimal import Decimal
from typing import Self

from pydantic import BaseModel, Field, model_validator


class IncomeLine(BaseModel):
    """The income line of the three-line warning, for one year."""

    threshold: Decimal = Field(description="监测范围: per-capita net income, yuan/year, set by the province")
    yellow_margin: Decimal = Field(default=Decimal("0.20"), description="within this share above the threshold")
    sharp_drop: Decimal = Field(default=Decimal("0.30"), description="a year-on-year fall of this share or more")


class ExpenditureLine(BaseModel):
    """合规自付 spending against household net income."""

    yellow_share: Decimal = Decimal("0.30")
    red_share: Decimal = Decimal("0.50")

    @model_validator(mode="after")
    def _yellow_before_red(self) -> Self:
        if not 0 < self.yellow_share <= self.red_share:
            raise ValueError("expenditure_line needs 0 < yellow_share <= red_share")
        return self


class RuleSettings(BaseModel):
    income_lines: dict[int, IncomeLine] = {
        2024: IncomeLine(threshold=Decimal("7300")),
        2025: IncomeLine(threshold=Decimal("7500")),
        2026: IncomeLine(threshold=Decimal("7700")),
    }
    expenditure_line: ExpenditureLine = ExpenditureLine()
    town_review_by_month_end: bool = Field(default=True, description="暂不纳入 reviewed by the town in the same month")
    reassess_watch_every_months: int = Field(default=1, ge=1, description="持续关注 re-assessed every month")
    clue_to_decision_max_days: int = Field(default=15, ge=1)
    notice_min_days: int = Field(default=5, ge=1, description="village public notice")
    elimination_min_months: int = Field(default=6, ge=0, description="more than this many months after inclusion")
    elimination_min_measures: int = Field(default=1, ge=0)
    development_measure_within_months: int = Field(default=6, ge=1)
    visit_every_months_subject: int = Field(default=1, ge=1, description="monitoring subjects")
    visit_every_months_lifted: int = Field(default=2, ge=1, description="other lifted households")
    income_decline_years: int = Field(default=2, ge=1, description="special group: income down N years running")
    at_risk_months: int = Field(default=6, ge=1, description="special group: still at risk after N months")
    compulsory_school_age_min: int = Field(default=6, ge=0, description="保障线: 义务教育 from this age (full years)")
    compulsory_school_age_max: int = Field(default=15, ge=0, description="保障线: 义务教育 up to this age (inclusive)")
    elimination_income_stable_years: int = Field(
        default=2, ge=1, description="风险消除: the last N recorded years' per-capita net income above the threshold"
    )
    elimination_lookback_after_months: int = Field(
        default=3, ge=1, description="风险消除: look-back (回头看) due this many months after district approval"
    )
    pension_contribution_age_min: int = Field(
        default=16, ge=0, description="综合保障: government-paid pension contributions from this age (not in school)"
    )
    pension_contribution_age_max: int = Field(
        default=59, ge=0, description="综合保障: government-paid pension contributions up to this age (inclusive)"
    )

    @model_validator(mode="after")
    def _ranges_are_ranges(self) -> Self:
        # A min above its max would silently switch a rule off: refuse the configuration instead.
        for name in ("compulsory_school_age", "pension_contribution_age"):
            if getattr(self, f"{name}_min") > getattr(self, f"{name}_max"):
                raise ValueError(f"{name}_min must not exceed {name}_max")
        return self
