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

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from monitoring_api.rules import RuleSettings


@dataclass(frozen=True)
class OverviewScope:
    """The region an overview covers and how its child regions are keyed."""

    principal: Principal
    region_code: str
    region_prefix: str
    child_digits: int  # significant digits of a child region: 9 for the towns of a district, 12 for villages
    today: date
    rules: RuleSettings

    def child_code(self, region_code: SQLColumnExpression[str]) -> ColumnElement[str]:
        """The 12-digit code of the child region a record's (village) code falls under."""
        return func.rpad(func.left(region_code, self.child_digits), 12, "0")

    async def count_per_child(self, session: AsyncSession, items: Select[*tuple[Any, ...]]) -> dict[str, int]:
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
