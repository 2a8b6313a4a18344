"""The deadline report: every deadline of monitoring-api, upcoming within a horizon or overdue, per place."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import DeadlineItem, DeadlineReport
from dixian_shared.workdays import WorkdayCalendar
from monitoring_api.deadlines import repository
from monitoring_api.rules import RuleSettings

SERVICE = "monitoring-api"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    level: Literal["village", "town"]
    link: str  # the list behind the count, filtered by region_code


KINDS = (
    Kind("not_now_review", "暂不纳入乡镇审核（月底前）", "town", "/assessments/overdue"),
    Kind("watch_reassessment", "持续关注户每月研判", "village", "/assessments/overdue"),
    Kind("inclusion_decision", "识别纳入（线索起15日内决定）", "village", "/inclusion-cases/late"),
    Kind("visits", "入户走访", "village", "/visits/overdue"),
    Kind("development_measure", "纳入6个月内落实开发式帮扶", "village", "/measures/flags"),
)


def _item(
    kind: Kind, calendar: WorkdayCalendar, region_code: str, nominal: date, count: int, state: str
) -> DeadlineItem:
    deadline = calendar.deadline(nominal)
    return DeadlineItem(
        kind=f"monitoring.{kind.code}",
        label=kind.label,
        region_code=region_code,
        level=kind.level,
        nominal_deadline=nominal,
        effective_deadline=deadline.effective,
        non_working_day=deadline.on_non_working_day,
        state=state,
        count=count,
        link=f"{kind.link}?region_code={region_code}",
    )


def _overdue_per_place(rows: Sequence[Row[*tuple[Any, ...]]]) -> dict[str, tuple[date, int]]:
    """One overdue item per place: how many records are late in all, under the latest deadline missed, so that a
    newly missed deadline gives the place a new item (the worker reminds each missed deadline once)."""
    places: dict[str, tuple[date, int]] = {}
    for row in rows:
        latest, total = places.get(row.region_code, (row.due_on, 0))
        places[row.region_code] = (max(latest, row.due_on), total + int(row._mapping["count"]))
    return places


async def report(
    session: AsyncSession,
    principal: Principal,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    *,
    on: date,
    horizon_days: int,
    region_code: str | None,
) -> DeadlineReport:
    prefix = regioncode.prefix(region_code) if region_code else principal.region_prefix
    until = on + timedelta(days=horizon_days)
    items: list[DeadlineItem] = []
    await repository.reporting_memory(session)
    for kind in KINDS:
        rows = await repository.due_until(session, kind.code, principal, rules, until, prefix)
        late = [row for row in rows if row.due_on < on]
        for place, (nominal, count) in sorted(_overdue_per_place(late).items()):
            items.append(_item(kind, calendar, place, nominal, count, "overdue"))
        items.extend(
            _item(kind, calendar, row.region_code, row.due_on, int(row._mapping["count"]), "upcoming")
            for row in rows
            if row.due_on >= on
        )
    return DeadlineReport(service=SERVICE, on=on, items=items)
