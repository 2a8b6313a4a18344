"""What a domain's contribution to GET /deadlines looks like (items are built by dixian_shared.deadlines)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import DeadlineItem
from dixian_shared.workdays import WorkdayCalendar
from funds_api.rules import FundsRules


@dataclass(frozen=True)
class Window:
    """The report's question: deadlines missed before `on`, and those from `on` up to `on + horizon_days`."""

    on: date
    horizon_days: int
    region_prefix: str


Contribution = Callable[[AsyncSession, FundsRules, WorkdayCalendar, Window], Awaitable[list[DeadlineItem]]]
