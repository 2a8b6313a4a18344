"""The state of each village's and town's month (未开始/填报中/已提交/已确认/逾期): one definition, used by the
status report and by GET /deadlines."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.workdays import DayKind, Deadline, WorkdayCalendar
from employment_api.ledger import repository
from employment_api.ledger.deadlines import LedgerDeadlines, month_deadlines, past
from employment_api.ledger.enums import MonthState
from employment_api.ledger.schemas import DeadlineRead, MonthReport, TownMonth, VillageMonth
from employment_api.rules import RuleSettings


def village_state(row: Any, deadlines: LedgerDeadlines, today: date) -> MonthState:
    if row.confirmed_at is not None:
        return MonthState.confirmed
    if row.submitted_at is not None:
        return MonthState.overdue if past(deadlines.town, today) else MonthState.submitted
    if past(deadlines.village, today):
        return MonthState.overdue
    return MonthState.in_progress if row.entries else MonthState.not_started


def town_state(villages: Sequence[VillageMonth], deadlines: LedgerDeadlines, today: date) -> MonthState:
    states = {v.state for v in villages}
    if states == {MonthState.confirmed}:
        return MonthState.confirmed
    if MonthState.overdue in states or past(deadlines.town, today):
        return MonthState.overdue
    if states <= {MonthState.submitted, MonthState.confirmed}:
        return MonthState.submitted
    return MonthState.not_started if states == {MonthState.not_started} else MonthState.in_progress


def deadline_read(deadline: Deadline, kind: DayKind) -> DeadlineRead:
    return DeadlineRead(
        nominal=deadline.nominal, effective=deadline.effective, kind=kind, non_working_day=deadline.on_non_working_day
    )


async def report(
    session: AsyncSession,
    principal: Principal,
    month: date,
    *,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    today: date,
    region_code: str | None = None,
) -> MonthReport:
    deadlines = month_deadlines(month, rules, calendar)
    rows = await repository.village_months(session, principal, month, rules, region_code)
    villages = [
        VillageMonth(
            region_code=row.region_code,
            name=row.name,
            state=village_state(row, deadlines, today),
            labourers=row.labourers,
            entries=row.entries,
            submitted_at=row.submitted_at,
            submitted_late=row.submitted_late,
            confirmed_at=row.confirmed_at,
            confirmed_late=row.confirmed_late,
        )
        for row in rows
    ]
    by_town: dict[str, list[VillageMonth]] = defaultdict(list)
    for row, village in zip(rows, villages, strict=True):
        # The district's own tree says which town a village answers to (a work group may act as a town).
        by_town[row.parent_code or regioncode.parent(row.region_code) or row.region_code].append(village)
    names = await repository.region_names(session, list(by_town))
    towns = [
        TownMonth(
            region_code=code,
            name=names.get(code, code),
            state=town_state(members, deadlines, today),
            villages=len(members),
            submitted=sum(1 for v in members if v.submitted_at is not None),
            confirmed=sum(1 for v in members if v.confirmed_at is not None),
        )
        for code, members in sorted(by_town.items())
    ]
    return MonthReport(
        month=f"{month:%Y-%m}",
        on=today,
        village_deadline=deadline_read(deadlines.village, deadlines.village_kind),
        town_deadline=deadline_read(deadlines.town, deadlines.town_kind),
        towns=towns,
        villages=villages,
    )
