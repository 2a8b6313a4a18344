"""Building DeadlineItems on the working-day calendar, and what a domain's contribution looks like."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import DeadlineItem
from dixian_shared.workdays import WorkdayCalendar
from funds_api.rules import FundsRules

State = Literal["upcoming", "overdue"]
Level = Literal["village", "town", "district"]


@dataclass(frozen=True)
class Window:
    """The report's question: deadlines missed before `on`, and those from `on` up to `on + horizon_days`."""

    on: date
    horizon_days: int
    region_prefix: str


Contribution = Callable[[AsyncSession, FundsRules, WorkdayCalendar, Window], Awaitable[list[DeadlineItem]]]


@dataclass(frozen=True)
class Kind:
    code: str  # "funds.<domain>.<what>"
    label: str  # in Chinese
    level: Level
    link: str  # the list behind the count; region_code is appended


def item(
    kind: Kind, calendar: WorkdayCalendar, region_code: str, nominal: date, count: int, state: State
) -> DeadlineItem:
    deadline = calendar.deadline(nominal)
    separator = "&" if "?" in kind.link else "?"
    return DeadlineItem(
        kind=kind.code,
        label=kind.label,
        region_code=region_code,
        level=kind.level,
        nominal_deadline=nominal,
        effective_deadline=deadline.effective,
        non_working_day=deadline.on_non_working_day,
        state=state,
        count=count,
        link=f"{kind.link}{separator}region_code={region_code}",
    )
