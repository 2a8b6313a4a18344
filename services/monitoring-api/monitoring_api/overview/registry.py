"""The registry through which modules add their overdue counts to the overview.

A contributor is a counting function: given the overview's scope, it answers {child region code: count} with one
set-based query (GROUP BY scope.child_code(...)), never a query per region. Register it once at import, from
overview/contributors.py or from a module of your own domain that the app imports (this module imports no domain):

    register(OverdueContributor("走访逾期", count_overdue_visits))

`scope.count_per_child(session, items)` does the grouping for a contributor that can express its overdue items as a
SELECT with a `region_code` column (one row per item).
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from monitoring_api.measures import repository as measure_queries
from monitoring_api.rules import RuleSettings
from monitoring_api.visits import repository as visit_queries


@dataclass(frozen=True)
class OverviewScope:
    """The region an overview covers and how its child regions are keyed."""

    principal: Principal
    region_code: str
    region_prefix: str
    child_digits: int  # significant digits of a child region: 9 for the towns of a district, 12 for villages
    today: date
    rules: RuleSettings

    def child_code(self, region_code: ColumnElement[str]) -> ColumnElement[str]:
        """The 12-digit code of the child region a record's (village) code falls under."""
        return func.rpad(func.left(region_code, self.child_digits), 12, "0")

    async def count_per_child(self, session: AsyncSession, items: Select[Any]) -> dict[str, int]:
        """Count the rows of `items` (which has a region_code column) per child region, in one GROUP BY."""
        found = items.subquery("items")
        child = self.child_code(found.c.region_code)
        stmt = select(child, func.count()).group_by(child)
        return {code: int(count) for code, count in (await session.execute(stmt)).all()}


Counter = Callable[[AsyncSession, OverviewScope], Awaitable[Mapping[str, int]]]


@dataclass(frozen=True)
class OverdueContributor:
    kind: str  # the label shown in the overview, in the users' terms
    count: Counter


OVERDUE_CONTRIBUTORS: list[OverdueContributor] = []


def register(contributor: OverdueContributor) -> None:
    """Add a contributor (idempotent on its kind, so a re-imported module does not count twice)."""
    OVERDUE_CONTRIBUTORS[:] = [c for c in OVERDUE_CONTRIBUTORS if c.kind != contributor.kind]
    OVERDUE_CONTRIBUTORS.append(contributor)


# Measures, look-backs and home visits (帮扶措施 / 回头看 / 入户走访): one set-based query each, per child region.


async def count_overdue_visits(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
    """Households whose last visit is older than their cadence (subjects monthly, other lifted every two months)."""
    rules = scope.rules
    items = visit_queries.overdue_visit_items(
        scope.today,
        rules.visit_every_months_subject,
        rules.visit_every_months_lifted,
        scope.region_prefix,
        scope.principal,
    )
    return await scope.count_per_child(session, items)


async def count_flagged_measures(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
    """Labour-capable subjects with no development measure in time, or with only 综合保障."""
    months = scope.rules.development_measure_within_months
    items = measure_queries.flagged_items(scope.today, months, scope.region_prefix, scope.principal)
    return await scope.count_per_child(session, items)


async def count_overdue_lookbacks(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
    """Look-backs (回头看) not recorded and due before today."""
    items = measure_queries.overdue_lookback_items(scope.today, scope.region_prefix, scope.principal)
    return await scope.count_per_child(session, items)


register(OverdueContributor("走访逾期", count_overdue_visits))
register(OverdueContributor("开发式帮扶缺失", count_flagged_measures))
register(OverdueContributor("回头看逾期", count_overdue_lookbacks))
