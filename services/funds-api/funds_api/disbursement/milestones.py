"""Which disbursement milestone a year's projects are measured against on a day — one definition for every rollup,
report and the deadline list.

A milestone is due on the last working day on or before its day (30 June → Friday 28 June when the 30th is a Sunday).
On day D the milestone *in view* is the first one not yet past (due on D or later), else the last one: projects below
its rate are *lagging*. A milestone is *past* the day after it was due: projects below its rate have *missed* it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dixian_shared.workdays import WorkdayCalendar
from funds_api.disbursement.schemas import MilestoneRead
from funds_api.rules import DisbursementRules


@dataclass(frozen=True)
class Standing:
    year: int
    on: date
    target: MilestoneRead
    passed: MilestoneRead | None

    @property
    def target_rate(self) -> Decimal:
        return self.target.min_rate

    @property
    def passed_rate(self) -> Decimal | None:
        return self.passed.min_rate if self.passed is not None else None


def milestones(rules: DisbursementRules, calendar: WorkdayCalendar, year: int) -> list[MilestoneRead]:
    result = []
    for milestone in rules.milestones:
        deadline = calendar.deadline(milestone.due.in_year(year))
        result.append(
            MilestoneRead(
                min_rate=milestone.min_rate,
                nominal_deadline=deadline.nominal,
                effective_deadline=deadline.effective,
                non_working_day=deadline.on_non_working_day,
            )
        )
    return result


def standing(rules: DisbursementRules, calendar: WorkdayCalendar, year: int, on: date) -> Standing:
    all_ = milestones(rules, calendar, year)
    past = [m for m in all_ if m.effective_deadline < on]
    ahead = [m for m in all_ if m.effective_deadline >= on]
    return Standing(year=year, on=on, target=ahead[0] if ahead else all_[-1], passed=past[-1] if past else None)
