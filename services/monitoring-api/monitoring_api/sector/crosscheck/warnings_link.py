"""Warnings raised by department findings (三线预警): the expenditure line from medical claims, the guarantee line
(保障线) from housing appraisals and water problems.

A household carries such a warning while it has an open discrepancy (待核实 or 已核实) of the rule; the warning is
resolved once no open one is left, whether a later batch closed it or the village handled it. The semantics (one open
warning per key, a new grade resolves the old one and raises anew, new data refreshes it) are the warnings module's
own, applied set-based by warnings.service.sync_from_findings: one statement pair per rule, whatever the batch size.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, String, case, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.households.models import Household
from monitoring_api.sector.enums import OPEN_STATUSES, CheckRule
from monitoring_api.sector.models import Discrepancy
from monitoring_api.warnings import service as warnings
from monitoring_api.warnings.enums import Grade, Line, Source
from monitoring_api.warnings.models import HouseholdWarning

d = Discrepancy.__table__
h = Household.__table__


@dataclass(frozen=True)
class FindingWarning:
    line: Line
    source: Source
    grade: Grade | None  # None: the grade the finding carries (department_data.grade)


# Which findings raise which warning. Housing (C/D or never appraised, for key households) and unresolved water
# problems past their deadline are guarantee-line failures like the education and medical ones, and so block a risk
# elimination until resolved (elimination/preconditions: no open 保障线 warning).
FINDING_WARNINGS: dict[CheckRule, FindingWarning] = {
    CheckRule.out_of_pocket_over_line: FindingWarning(Line.expenditure, Source.medical_insurance, None),
    CheckRule.house_unsafe: FindingWarning(Line.guarantee, Source.housing, Grade.red),
    CheckRule.house_not_appraised: FindingWarning(Line.guarantee, Source.housing, Grade.yellow),
    CheckRule.water_problem_overdue: FindingWarning(Line.guarantee, Source.agriculture_office, Grade.red),
}


def _holding(rule: CheckRule, spec: FindingWarning, household_ids: list[int] | None) -> Select:
    """One row per household with an open finding of the rule, in the warning table's columns."""
    finding_grade = literal(spec.grade.value, String) if spec.grade else d.c.department_data["grade"].astext
    grade = case((func.bool_or(finding_grade == Grade.red.value), Grade.red.value), else_=Grade.yellow.value)
    data = func.jsonb_build_object(
        "discrepancy_ids",
        func.array_agg(aggregate_order_by(d.c.id, d.c.id)),
        "findings",
        func.jsonb_agg(aggregate_order_by(d.c.department_data, d.c.id)),
    )
    stmt = (
        select(
            d.c.household_id.label("household_id"),
            h.c.region_code.label("region_code"),
            literal(spec.line.value, String).label("line"),
            grade.label("grade"),
            literal(rule.value, String).label("rule"),
            literal(spec.source.value, String).label("source"),
            literal("", String).label("subject"),
            data.label("data"),
        )
        .select_from(d.join(h, h.c.id == d.c.household_id))
        .where(d.c.rule == rule.value, d.c.status.in_([s.value for s in OPEN_STATUSES]))
        .group_by(d.c.household_id, h.c.region_code)
    )
    if household_ids is not None:
        stmt = stmt.where(d.c.household_id.in_(household_ids))
    return stmt


async def sync_finding_warnings(
    session: AsyncSession, rules: Iterable[CheckRule], *, household_ids: list[int] | None = None
) -> tuple[int, int]:
    """(raised, resolved) over the rules that raise warnings; all households, or only these."""
    raised = resolved = 0
    for rule in rules:
        spec = FINDING_WARNINGS.get(rule)
        if spec is None:
            continue
        within: ColumnElement[bool] | None = None
        if household_ids is not None:
            within = HouseholdWarning.__table__.c.household_id.in_(household_ids)
        up, down = await warnings.sync_from_findings(
            session,
            rule=rule.value,
            source=spec.source.value,
            holding=_holding(rule, spec, household_ids),
            within=within,
        )
        raised, resolved = raised + up, resolved + down
    return raised, resolved
