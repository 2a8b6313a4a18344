"""The employment rules with numbers (DOMAIN.md "Employment", "Rules with numbers"): configuration with the plan's
defaults, read from EMPLOYMENT_RULES__* (e.g. EMPLOYMENT_RULES__VILLAGE_LEDGER_DAY=10).

Every field here has a test that fails if the rule it drives is broken.
"""

from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

# The national system's vocabulary, as monitoring-api stores it.
LIFTED_AND_MONITORED = ("脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
ABLE_TO_WORK = ("普通劳动力", "技能劳动力")
LIFTED = ("脱贫户", "脱贫不稳定户")  # 脱贫劳动力: households lifted out of poverty, stable or not
SUBSIDY_KINDS = ("交通补贴", "公益性岗位补贴", "一次性创业补贴")


class RuleSettings(BaseModel):
    working_age_min: int = Field(default=16, ge=0, description="劳动年龄: from this age (full years)")
    working_age_max: int = Field(default=60, ge=0, description="劳动年龄: up to this age (inclusive)")
    roster_categories: tuple[str, ...] = Field(
        default=LIFTED_AND_MONITORED, description="household categories whose labourers are on the roster"
    )
    roster_labour_skills: tuple[str, ...] = Field(default=ABLE_TO_WORK, description="劳动技能 that count as capacity")
    village_ledger_day: int = Field(default=15, ge=1, le=28, description="村级就业台账: village submits by this day")
    town_confirm_day: int = Field(default=25, ge=1, le=28, description="镇级录入: town confirms by this day")
    lifted_categories: tuple[str, ...] = Field(
        default=LIFTED, description="the categories whose labourers count as 脱贫劳动力 in the targets"
    )
    employed_lifted_target: int = Field(default=4000, ge=0, description="脱贫劳动力务工就业 at least this many")
    public_welfare_lifted_target: int = Field(default=258, ge=0, description="公益性岗位 hold at least this many")
    workshop_baseline_2023: int = Field(default=0, ge=0, description="帮扶车间 employ no fewer than in 2023")
    service131_guidance: int = Field(default=1, ge=0, description="131: career guidance (职业指导) per job seeker")
    service131_referrals: int = Field(default=3, ge=0, description="131: job referrals (岗位推荐) per job seeker")
    service131_training: int = Field(default=1, ge=0, description="131: training or internship offers per job seeker")
    training_survey_every_months: int = Field(
        default=6, ge=1, description="培训需求调查: every labourer at least this often (first within it of joining)"
    )
    subsidy_periods: dict[str, Literal["year", "month", "once"]] = Field(
        default={"交通补贴": "year", "公益性岗位补贴": "month", "一次性创业补贴": "once"},
        description="补贴: the period a grant covers, per kind; one grant per person, kind and period",
    )
    upload_inline_max_rows: int = Field(
        default=2000, ge=1, description="a ledger upload with more rows runs as a worker job (202 + Location)"
    )

    @model_validator(mode="after")
    def _ranges_are_ranges(self) -> Self:
        # A min above its max, or a town deadline before the village's, would silently switch a rule off.
        if self.working_age_min > self.working_age_max:
            raise ValueError("working_age_min must not exceed working_age_max")
        if self.village_ledger_day > self.town_confirm_day:
            raise ValueError("village_ledger_day must not be after town_confirm_day")
        if set(self.subsidy_periods) != set(SUBSIDY_KINDS):
            raise ValueError(f"subsidy_periods needs a period for each of {', '.join(SUBSIDY_KINDS)} and no other")
        return self
