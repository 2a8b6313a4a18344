"""The deadline report of employment-api: each deadline, upcoming within a horizon or overdue, per place."""

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
from employment_api.deadlines import repository
from employment_api.ledger import deadline_items as ledger_deadlines
from employment_api.rules import RuleSettings

SERVICE = "employment-api"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    level: Literal["village", "town"]
    link: str  # the list behind the count, filtered by region_code


KINDS = (Kind("training_survey", "培训需求调查（每半年至少一次）", "village", "/training-surveys/overdue"),)


def _item(
    kind: Kind, calendar: WorkdayCalendar, region_code: str, nominal: date, count: int, state: str
) -> DeadlineItem:
    deadline = calendar.deadline(nominal)
    return DeadlineItem(
        kind=f"employment.{kind.code}",
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
    """One overdue item per place: the earliest missed deadline and how many records are late in all."""
    places: dict[str, tuple[date, int]] = {}
    for row in rows:
        first, total = places.get(row.region_code, (row.due_on, 0))
        places[row.region_code] = (min(first, row.due_on), total + int(row._mapping["count"]))
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
    # The ledger's two deadlines are per month and per place rather than per record: its own module builds them
    # from the same month states as GET /ledger/{month}/status.
    items += await ledger_deadlines.items(
        session, principal, rules, calendar, on=on, horizon_days=horizon_days, region_code=region_code
    )
    return DeadlineReport(service=SERVICE, on=on, items=items)
