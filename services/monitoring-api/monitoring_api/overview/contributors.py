"""The overdue counts of the modules that exist, registered with the overview (one GROUP BY each, per child region).

Each function takes the overview's scope and answers {child region code: count}; the item queries belong to their
modules (assessments, inclusion, visits, measures), the grouping by child region to the overview.
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.assessments.enums import OverdueKind
from monitoring_api.assessments.overdue import overdue_subquery
from monitoring_api.inclusion import repository as inclusion
from monitoring_api.measures import repository as measures
from monitoring_api.overview.registry import (
    OVERDUE_CONTRIBUTORS,
    Counter,
    OverdueContributor,
    OverviewScope,
    register,
)
from monitoring_api.visits import repository as visits


def _assessment_counter(kind: OverdueKind) -> Counter:
    async def count(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
        overdue = overdue_subquery(scope.principal, scope.today, scope.rules, scope.region_code)
        items = select(overdue.c.region_code).where(overdue.c.kind == kind.value)
        return await scope.count_per_child(session, items)

    return count


async def count_late_inclusion_cases(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
    """Open cases past their decision day: the late list's own rule (inclusion/lateness.py)."""
    items = inclusion.late_open_items(scope.principal, scope.today, scope.rules, scope.region_prefix)
    return await scope.count_per_child(session, items)


async def count_overdue_visits(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
    """Households whose next home visit is past due: the overdue list's own query (visits/repository.py)."""
    items = visits.overdue_visit_items(scope.today, scope.rules, scope.region_prefix, scope.principal)
    return await scope.count_per_child(session, items)


async def count_flagged_measures(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
    """Labour-capable subjects with no development measure within the rule's months, or only 综合保障."""
    items = measures.flagged_items(
        scope.today, scope.rules.development_measure_within_months, scope.region_prefix, scope.principal
    )
    return await scope.count_per_child(session, items)


async def count_overdue_lookbacks(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
    """Look-backs (回头看) not recorded by their due date."""
    items = measures.overdue_lookback_items(scope.today, scope.region_prefix, scope.principal)
    return await scope.count_per_child(session, items)


register(
    OverdueContributor(OverdueKind.watch_not_reassessed.value, _assessment_counter(OverdueKind.watch_not_reassessed))
)
register(OverdueContributor(OverdueKind.not_now_unreviewed.value, _assessment_counter(OverdueKind.not_now_unreviewed)))
register(OverdueContributor("识别纳入超期未决", count_late_inclusion_cases))
register(OverdueContributor("走访逾期", count_overdue_visits))
register(OverdueContributor("开发式帮扶缺失", count_flagged_measures))
register(OverdueContributor("回头看逾期", count_overdue_lookbacks))

__all__ = [
    "OVERDUE_CONTRIBUTORS",
    "Counter",
    "OverdueContributor",
    "OverviewScope",
    "count_flagged_measures",
    "count_late_inclusion_cases",
    "count_overdue_lookbacks",
    "count_overdue_visits",
    "register",
]
