"""The overview's queries: each one GROUP BY over the whole region, keyed by child region."""

from typing import Any

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import in_scope, under_region
from monitoring_api.households.enums import MONITORING_SUBJECTS, HouseholdStatus
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON
from monitoring_api.overview.registry import OverviewScope
from monitoring_api.warnings.membership import memberships
from monitoring_api.warnings.models import HouseholdWarning


async def region(session: AsyncSession, code: str) -> Row[*tuple[Any, ...]] | None:
    table = COMMON.region
    return (
        await session.execute(select(table.c.code, table.c.name, table.c.level).where(table.c.code == code))
    ).first()


async def child_regions(session: AsyncSession, code: str) -> list[tuple[str, str]]:
    """The regions directly under `code`, or the region itself when it has none (a village)."""
    table = COMMON.region
    stmt = (
        select(table.c.code, table.c.name)
        .where(or_(table.c.parent_code == code, table.c.code == code))
        .order_by(table.c.code)
    )
    rows = [(c, n) for c, n in (await session.execute(stmt)).all()]
    children = [(c, n) for c, n in rows if c != code]
    return children or rows


def _households(scope: OverviewScope) -> Any:
    return (
        under_region(Household.region_code, scope.region_prefix),
        in_scope(Household.region_code, scope.principal),
        Household.status == HouseholdStatus.active,
    )


async def households_by_category(session: AsyncSession, scope: OverviewScope) -> list[tuple[str, str, bool, int]]:
    """Households per child region and category, split by the 风险消除 mark (true: a subject marked eliminated)."""
    child = scope.child_code(Household.region_code)
    eliminated = and_(Household.category.in_(sorted(MONITORING_SUBJECTS)), ~Household.at_risk)
    stmt = (
        select(child, Household.category, eliminated, func.count())
        .where(*_households(scope))
        .group_by(child, Household.category, eliminated)
    )
    return [(c, str(category), bool(e), int(n)) for c, category, e, n in (await session.execute(stmt)).all()]


async def households_by_key_group(session: AsyncSession, scope: OverviewScope) -> list[tuple[str, str, int]]:
    where = under_region(Household.region_code, scope.region_prefix) & in_scope(Household.region_code, scope.principal)
    membership = memberships(where)
    child = scope.child_code(membership.c.region_code)
    stmt = select(child, membership.c.key_group, func.count(membership.c.household_id.distinct())).group_by(
        child, membership.c.key_group
    )
    return [(c, g, int(n)) for c, g, n in (await session.execute(stmt)).all()]


async def open_warnings(session: AsyncSession, scope: OverviewScope) -> list[tuple[str, str, str, int]]:
    warning = HouseholdWarning
    child = scope.child_code(warning.region_code)
    stmt = (
        select(child, warning.line, warning.grade, func.count())
        .where(
            warning.resolved_at.is_(None),
            under_region(warning.region_code, scope.region_prefix),
            in_scope(warning.region_code, scope.principal),
        )
        .group_by(child, warning.line, warning.grade)
    )
    return [(c, str(line), str(grade), int(n)) for c, line, grade, n in (await session.execute(stmt)).all()]
