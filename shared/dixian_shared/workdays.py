"""The Chinese working-day calendar that every deadline follows.

Public holidays and the adjusted working days (调休上班) are taken from the `chinesecalendar` package for the years it
knows; the district's configuration table (`CalendarSettings`) adds years the package does not know yet, and corrects
it where the State Council's notice differs. Outside both, Saturdays and Sundays are the only days off.
"""

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import chinese_calendar
from pydantic import BaseModel

DayKind = Literal["工作日", "周末", "节假日"]


class CalendarSettings(BaseModel):
    """The configuration table: days the package does not know (e.g. next year's notice before a package release)."""

    holidays: set[date] = set()
    working_days: set[date] = set()


@dataclass(frozen=True)
class Deadline:
    """A deadline as written in the plan, and the last working day on or before it."""

    nominal: date
    effective: date

    @property
    def on_non_working_day(self) -> bool:
        return self.effective != self.nominal


class WorkdayCalendar:
    def __init__(self, settings: CalendarSettings | None = None) -> None:
        self._settings = settings or CalendarSettings()

    def known(self, day: date) -> bool:
        """Whether the calendar knows this year's holidays (from the package or the configuration table)."""
        configured = any(d.year == day.year for d in self._settings.holidays | self._settings.working_days)
        return configured or self._package_knows(day)

    @staticmethod
    def _package_knows(day: date) -> bool:
        return _package_kind(day) is not None

    def kind(self, day: date) -> DayKind:
        if day in self._settings.working_days:
            return "工作日"
        if day in self._settings.holidays:
            return "节假日"
        return _package_kind(day) or ("周末" if day.weekday() >= 5 else "工作日")

    def is_workday(self, day: date) -> bool:
        return self.kind(day) == "工作日"

    def workday_on_or_before(self, day: date) -> date:
        while not self.is_workday(day):
            day -= timedelta(days=1)
        return day

    def add_workdays(self, day: date, count: int) -> date:
        """The working day `count` working days after `day` (before it when negative); `day` itself need not work."""
        step = timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
        if end < start:
            return -self.workdays_between(end, start)
        return sum(1 for offset in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(days=offset)))

    def deadline(self, nominal: date) -> Deadline:
        return Deadline(nominal=nominal, effective=self.workday_on_or_before(nominal))


# The package checks each date against the whole of its tables (a max() over them) on every call: a province's deadline
# report asks about the same few dozen days tens of thousands of times. Its answers never change in a process.
@functools.lru_cache(maxsize=4096)
def _package_kind(day: date) -> DayKind | None:
    """What the package says of a day; None for a year it does not know."""
    try:
        workday = chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
    if workday:
        return "工作日"
    return "节假日" if _named(day) else "周末"


def _named(day: date) -> bool:
    """A day off with a holiday's name (a weekend inside National Day too) is a holiday; an ordinary one a weekend."""
    holiday, name = chinese_calendar.get_holiday_detail(day)
    return bool(holiday and name)
