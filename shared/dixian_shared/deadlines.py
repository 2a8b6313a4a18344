"""How a service turns its due records into GET /deadlines items: one definition for every service.

A service's repository counts its due records per place and due date (`DueCount`); `due_items` makes the items:
one per place and due date for what is still upcoming, and one per place for what is overdue — every late record
counted, under the latest deadline missed, so that a newly missed deadline gives the place a new item (the worker
reminds each kind, place and nominal deadline once).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Query

from dixian_shared.auth.deps import require_service_scope
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import DeadlineItem, ServiceScope
from dixian_shared.workdays import WorkdayCalendar

# GET /deadlines takes the same parameters in every service: the worker asks all three alike.
DeadlineReader = Annotated[Principal, Depends(require_service_scope(ServiceScope.deadlines))]
FIRST_REPORT_DAY, LAST_REPORT_DAY = date(2000, 1, 1), date(2099, 12, 31)  # the years every service keeps records of
ReportDay = Annotated[
    date | None,
    Query(ge=FIRST_REPORT_DAY, le=LAST_REPORT_DAY, description="the day of the report (default today, Asia/Shanghai)"),
]
HorizonDays = Annotated[int, Query(ge=0, le=62, description="upcoming deadlines up to this many days ahead")]

Level = Literal["village", "town", "district"]
State = Literal["upcoming", "overdue"]


@dataclass(frozen=True)
class DeadlineKind:
    code: str  # stable, "<service>.<what>", e.g. "monitoring.visits"
    label: str  # in Chinese
    level: Level  # who must act
    link: str  # the list behind the count; region_code is appended

    def link_for(self, region_code: str) -> str:
        separator = "&" if "?" in self.link else "?"
        return f"{self.link}{separator}region_code={region_code}"


@dataclass(frozen=True)
class DueCount:
    """How many records of a place fall due on a day."""

    region_code: str
    due_on: date
    count: int

    @classmethod
    def from_row(cls, row: Any) -> "DueCount":
        """From a result row with region_code, due_on and count columns."""
        mapping = row._mapping
        return cls(mapping["region_code"], mapping["due_on"], int(mapping["count"]))


def deadline_item(
    kind: DeadlineKind, calendar: WorkdayCalendar, region_code: str, nominal: date, count: int, state: State
) -> DeadlineItem:
    deadline = calendar.deadline(nominal)
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
        link=kind.link_for(region_code),
    )


def due_items(kind: DeadlineKind, calendar: WorkdayCalendar, dues: Iterable[DueCount], on: date) -> list[DeadlineItem]:
    """Overdue (due before `on`): one item per place under its latest missed deadline; upcoming: one per due date."""
    missed: dict[str, tuple[date, int]] = {}
    upcoming: list[DeadlineItem] = []
    for due in dues:
        if due.due_on < on:
            latest, total = missed.get(due.region_code, (due.due_on, 0))
            missed[due.region_code] = (max(latest, due.due_on), total + due.count)
        else:
            upcoming.append(deadline_item(kind, calendar, due.region_code, due.due_on, due.count, "upcoming"))
    overdue = [
        deadline_item(kind, calendar, place, nominal, count, "overdue")
        for place, (nominal, count) in sorted(missed.items())
    ]
    return overdue + upcoming
