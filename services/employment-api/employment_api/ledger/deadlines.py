"""The ledger's two deadlines and the lock they set: the one definition every check, list and report uses.

The ledger of a month is kept during that month: the village completes it by `village_ledger_day` (15th) and the town
confirms it by `town_confirm_day` (25th), each moved back to the last working day when it falls on a weekend or
holiday (WorkdayCalendar). The day after the effective deadline the month is locked for that step.
"""

from dataclasses import dataclass
from datetime import date

from dixian_shared.auth.principal import Principal, Role
from dixian_shared.workdays import DayKind, Deadline, WorkdayCalendar
from employment_api.rules import RuleSettings


@dataclass(frozen=True)
class LedgerDeadlines:
    month: date
    village: Deadline
    town: Deadline
    village_kind: DayKind  # what the nominal day is: 工作日 / 周末 / 节假日
    town_kind: DayKind


def month_deadlines(month: date, rules: RuleSettings, calendar: WorkdayCalendar) -> LedgerDeadlines:
    village = date(month.year, month.month, rules.village_ledger_day)
    town = date(month.year, month.month, rules.town_confirm_day)
    return LedgerDeadlines(
        month=month,
        village=calendar.deadline(village),
        town=calendar.deadline(town),
        village_kind=calendar.kind(village),
        town_kind=calendar.kind(town),
    )


def step_deadline(deadlines: LedgerDeadlines, principal: Principal) -> Deadline:
    """The deadline of the caller's step: the village's own, or the town's (the town and district correct after)."""
    return deadlines.village if principal.role == Role.village else deadlines.town


def past(deadline: Deadline, today: date) -> bool:
    return today > deadline.effective
