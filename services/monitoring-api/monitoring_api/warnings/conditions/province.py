"""The income line (收入线) from the income the province verified (收入核实): each active household's latest verified
year against that year's monitoring threshold, over a recompute's scope.

The lines are the one configured definition (rules.income_lines, joined as the VALUES table of the system rules),
the grades those of the system rules (below the threshold 红色, within yellow_margin above it 黄色) and the rule names
theirs, with the province as source. The selects give the warning table's columns (COLUMNS), so
warnings.service.sync_from_findings raises and resolves them as it does the departments' findings: when the province's
update is applied, and in every recompute (a line configured or changed later is then taken into account). A year
with no configured line holds nothing.
"""

from typing import Any

from sqlalchemy import ColumnElement, Select, String, Subquery, func, literal, select
from sqlalchemy.dialects.postgresql import distinct_on

from monitoring_api.households.enums import HouseholdStatus
from monitoring_api.households.models import Household
from monitoring_api.income.models import VerifiedIncome
from monitoring_api.rules import RuleSettings
from monitoring_api.warnings.conditions.base import Scope, income_lines
from monitoring_api.warnings.enums import Grade, Line, Source, SystemRule

# The province's income warnings, each with its grade.
PROVINCE_RULES = {SystemRule.income_below_threshold: Grade.red, SystemRule.income_near_threshold: Grade.yellow}


def _latest(scope: Scope) -> Subquery:
    verified = VerifiedIncome
    return (
        select(
            verified.household_id,
            Household.region_code,
            verified.year,
            verified.per_capita_net_income,
            verified.verified_on,
        )
        .join(Household, Household.id == verified.household_id)
        .where(scope.households(), Household.status == HouseholdStatus.active)
        .ext(distinct_on(verified.household_id))
        .order_by(verified.household_id, verified.year.desc())
        .subquery("latest_verified")
    )


def verified_income_holding(rule: SystemRule, scope: Scope, rules: RuleSettings) -> Select:
    """A warning of this rule for each household in scope whose latest verified income holds it."""
    latest, line = _latest(scope), income_lines(rules)
    income, threshold = latest.c.per_capita_net_income, line.c.threshold
    upper = threshold * (1 + line.c.yellow_margin)
    condition: ColumnElement[bool] = income < threshold
    shown: dict[str, ColumnElement[Any]] = {
        "year": latest.c.year,
        "per_capita_net_income": income,
        "threshold": threshold,
        "verified_on": latest.c.verified_on,
    }
    if rule == SystemRule.income_near_threshold:
        condition = (income >= threshold) & (income <= upper)
        shown |= {"yellow_margin": line.c.yellow_margin, "upper_bound": func.round(upper, 2)}
    data = func.jsonb_build_object(*(part for pair in shown.items() for part in pair))
    return (
        select(
            latest.c.household_id.label("household_id"),
            latest.c.region_code.label("region_code"),
            literal(Line.income.value, String).label("line"),
            literal(PROVINCE_RULES[rule].value, String).label("grade"),
            literal(rule.value, String).label("rule"),
            literal(Source.province.value, String).label("source"),
            literal("", String).label("subject"),
            data.label("data"),
        )
        .select_from(latest)
        .join(line, line.c.year == latest.c.year)
        .where(condition)
    )
