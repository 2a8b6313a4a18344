"""The overdue counts of the modules that exist, registered with the overview (one GROUP BY each)."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import in_scope, under_region
from monitoring_api.assessments.enums import OverdueKind
from monitoring_api.assessments.overdue import overdue_subquery
from monitoring_api.inclusion.enums import CaseStatus
from monitoring_api.inclusion.models import InclusionCase
from monitoring_api.overview.contributors import OverdueContributor, OverviewScope, register


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


register(
    OverdueContributor(OverdueKind.watch_not_reassessed.value, _assessment_counter(OverdueKind.watch_not_reassessed))
)
register(OverdueContributor(OverdueKind.not_now_unreviewed.value, _assessment_counter(OverdueKind.not_now_unreviewed)))
register(OverdueContributor("识别纳入超期未决", late_inclusion_cases))
