"""Per-place counts behind GET /deadlines, each built on the one definition of its rule in its own module.

Every rule here is "late on day D" as its module writes it, with the deadline of each item. What is due up to a day is
what that rule finds late the day after it; so no rule is restated, only evaluated on another day. Each kind is one
grouped statement over the whole scope, answering (region_code, due_on, count).
"""

import asyncio
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Row, Select, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.db import SessionFactory
from monitoring_api.assessments.enums import OverdueKind
from monitoring_api.assessments.overdue import overdue_subquery
from monitoring_api.inclusion.lateness import decision_due_sql, open_and_late
from monitoring_api.inclusion.models import InclusionCase
from monitoring_api.measures import repository as measures
from monitoring_api.rules import RuleSettings
from monitoring_api.visits import repository as visits

Counts = Sequence[Row[*tuple[Any, ...]]]
SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+-[0-9]+")


def town_of(column: Any) -> Any:
    """The town a village belongs to: the first nine digits of its code (统计用区划代码)."""
    return func.left(column, 9) + "000"


async def _grouped(session: AsyncSession, items: Select[*tuple[Any, ...]], *, town: bool = False) -> Counts:
    """(region_code, due_on, count) from item rows that carry region_code and due_on."""
    sub = items.subquery("items")
    region = town_of(sub.c.region_code) if town else sub.c.region_code
    stmt = (
        select(region.label("region_code"), sub.c.due_on, func.count().label("count"))
        .group_by(region, sub.c.due_on)
        .order_by(region, sub.c.due_on)
    )
    return (await session.execute(stmt)).all()


def _assessments(
    principal: Principal, day: date, rules: RuleSettings, kind: OverdueKind, prefix: str
) -> Select[*tuple[Any, ...]]:
    overdue = overdue_subquery(principal, day, rules, None)
    # The overdue list counts from the first day of the month the step belongs to (暂不纳入: the month after the
    # assessment; 持续关注: the month it must be re-assessed in); the deadline is the last day of that month
    # (暂不纳入: its own month end, the day before).
    if kind is OverdueKind.not_now_unreviewed:
        due = cast(overdue.c.overdue_since - 1, Date)
    else:
        due = cast(overdue.c.overdue_since + func.make_interval(0, 1) - func.make_interval(0, 0, 0, 1), Date)
    return select(overdue.c.region_code, due.label("due_on"), overdue.c.household_id.label("key")).where(
        overdue.c.kind == kind.value, under_region(overdue.c.region_code, prefix)
    )


def _inclusion(principal: Principal, day: date, rules: RuleSettings, prefix: str) -> Select[*tuple[Any, ...]]:
    return select(
        InclusionCase.region_code, decision_due_sql(rules).label("due_on"), InclusionCase.id.label("key")
    ).where(
        open_and_late(day, rules),
        under_region(InclusionCase.region_code, prefix),
        in_scope(InclusionCase.region_code, principal),
    )


def _visits(principal: Principal, day: date, rules: RuleSettings, prefix: str) -> Select[*tuple[Any, ...]]:
    items = visits.overdue_visit_items(day, rules, prefix, principal).subquery("visits")
    return select(items.c.region_code, items.c.due_on, items.c.household_id.label("key"))


def _measures(principal: Principal, day: date, rules: RuleSettings, prefix: str) -> Select[*tuple[Any, ...]]:
    items = measures.flagged_items(day, rules.development_measure_within_months, prefix, principal).subquery("flags")
    return select(items.c.region_code, items.c.development_due_on.label("due_on"), items.c.household_id.label("key"))


RULES = {
    "not_now_review": lambda p, d, r, x: _assessments(p, d, r, OverdueKind.not_now_unreviewed, x),
    "watch_reassessment": lambda p, d, r, x: _assessments(p, d, r, OverdueKind.watch_not_reassessed, x),
    "inclusion_decision": _inclusion,
    "visits": _visits,
    "development_measure": _measures,
}
TOWN_LEVEL = frozenset({"not_now_review"})


async def for_reporting(session: AsyncSession) -> None:
    """District-wide, each rule sorts and hashes hundreds of thousands of rows: let this transaction do it in memory
    rather than in temporary files (the server's default work_mem is 4 MB). And no JIT: the rules' plans cost enough
    to be compiled, which took about a second each on a province and saved less than that."""
    await session.execute(text("SET LOCAL work_mem = '128MB'"))
    await session.execute(text("SET LOCAL jit = off"))


async def _begin_reporting(session: AsyncSession, snapshot: str | None = None) -> None:
    """A read-only REPEATABLE READ transaction for the report, on the given exported snapshot if any."""
    await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    if snapshot is not None:
        if not SNAPSHOT_ID.fullmatch(snapshot):  # SET TRANSACTION SNAPSHOT takes no parameter
            raise ValueError(f"unexpected snapshot id {snapshot!r}")
        await session.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
    await session.execute(text("SET TRANSACTION READ ONLY"))
    await for_reporting(session)


async def due_all(
    session: AsyncSession,
    sessions: SessionFactory,
    connections: int,
    kinds: Sequence[str],
    principal: Principal,
    rules: RuleSettings,
    until: date,
    prefix: str,
) -> list[Counts]:
    """due_until for each kind. On the app's pool, in transactions of the report's own (a GET runs without one, and
    the report's settings and snapshot need one), side by side on up to `connections` of them. A session bound to
    one connection (the rolled-back tests') has its transaction: the kinds run one after another in it."""
    if not isinstance(session.bind, AsyncEngine):
        await for_reporting(session)
        return [await due_until(session, kind, principal, rules, until, prefix) for kind in kinds]
    return await _side_by_side(sessions, connections, kinds, principal, rules, until, prefix)


async def _side_by_side(
    sessions: SessionFactory,
    connections: int,
    kinds: Sequence[str],
    principal: Principal,
    rules: RuleSettings,
    until: date,
    prefix: str,
) -> list[Counts]:
    """Sessions of their own working through the kinds; the first one's transaction exports its snapshot and the
    others import it, so the report is as consistent as one run on one connection."""
    waiting = list(enumerate(kinds))
    done: dict[int, Counts] = {}

    async def work(session: AsyncSession) -> None:
        while waiting:
            index, kind = waiting.pop(0)
            done[index] = await due_until(session, kind, principal, rules, until, prefix)

    async def imported(snapshot: str) -> None:
        async with sessions() as other:
            await _begin_reporting(other, snapshot)
            await work(other)

    others = min(connections, len(kinds)) - 1
    async with sessions() as first:
        await _begin_reporting(first)
        snapshot = str(await first.scalar(text("SELECT pg_export_snapshot()"))) if others else ""
        async with asyncio.TaskGroup() as group:
            group.create_task(work(first))
            for _ in range(others):
                group.create_task(imported(snapshot))
    return [done[index] for index in range(len(kinds))]


async def due_until(
    session: AsyncSession, kind: str, principal: Principal, rules: RuleSettings, until: date, prefix: str
) -> Counts:
    """Everything due on or before `until` and not done, per place and deadline: the rule evaluated on the day
    after `until` (what would be late then if nothing is done). The caller splits it at its day into overdue
    (deadline passed) and upcoming."""
    items = RULES[kind](principal, until + timedelta(days=1), rules, prefix).subquery("due")
    rows = select(items.c.region_code, items.c.due_on).where(items.c.due_on <= until)
    return await _grouped(session, rows, town=kind in TOWN_LEVEL)
