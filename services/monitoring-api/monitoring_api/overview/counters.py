"""The overdue counts of the modules that exist, registered with the overview (one GROUP BY each)."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import in_scope, under_region
from monitoring_api.assessments.enums import OverdueKind
from monitoring_api.assessments.overdue import overdue_subquery
from monitoring_api.inclusion.enums import CaseStatus
from monitoring_api.inclusion.models import InclusionCase
from monitoring_api.measures.models import Lookback
from monitoring_api.overview.contributors import OverdueContributor, OverviewScope, register
from monitoring_api.visits import repository as visits
from monitoring_api.visits.schemas import GroupBy

# The visits module groups by town (9 digits) or village (12); those are the children of a district and a town.
VISIT_GROUPING = {9: GroupBy.town, 12: GroupBy.village}


def _assessment_counter(kind: OverdueKind):  # type: ignore[no-untyped-def]
    async def count(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
        overdue = overdue_subquery(scope.principal, scope.today, scope.rules, scope.region_code)
        items = select(overdue.c.region_code).where(overdue.c.kind == kind.value)
        return await scope.count_per_child(session, items)

    return count


async def late_inclusion_cases(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
    """Open cases whose clue is older than clue_to_decision_max_days (as the inclusion module's late list)."""
    items = select(InclusionCase.region_code).where(
        InclusionCase.status == CaseStatus.open,
        InclusionCase.clue_date < scope.today - timedelta(days=scope.rules.clue_to_decision_max_days),
        under_region(InclusionCase.region_code, scope.region_prefix),
        in_scope(InclusionCase.region_code, scope.principal),
    )
    return await scope.count_per_child(session, items)


async def overdue_visits(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
    """Households whose next home visit (monthly for subjects, every two months for 脱贫户) is past due."""
    group_by = VISIT_GROUPING.get(scope.child_digits)
    if group_by is None:
        return {}
    rows = await visits.overdue_counts(
        session,
        scope.principal,
        group_by,
        today=scope.today,
        subject_months=scope.rules.visit_every_months_subject,
        lifted_months=scope.rules.visit_every_months_lifted,
        region_code=scope.region_code,
    )
    return {key: int(count) for key, _name, count in rows}


async def overdue_lookbacks(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
    """Look-backs (回头看) not done by their due date (as measures.repository.count_overdue_lookbacks)."""
    items = select(Lookback.region_code).where(
        Lookback.done_on.is_(None),
        Lookback.due_on < scope.today,
        under_region(Lookback.region_code, scope.region_prefix),
        in_scope(Lookback.region_code, scope.principal),
    )
    return await scope.count_per_child(session, items)


register(
    OverdueContributor(OverdueKind.watch_not_reassessed.value, _assessment_counter(OverdueKind.watch_not_reassessed))
)
register(OverdueContributor(OverdueKind.not_now_unreviewed.value, _assessment_counter(OverdueKind.not_now_unreviewed)))
register(OverdueContributor("识别纳入超期未决", late_inclusion_cases))
register(OverdueContributor("走访逾期", overdue_visits))
register(OverdueContributor("回头看逾期", overdue_lookbacks))
