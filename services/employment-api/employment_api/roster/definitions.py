"""Who is on the roster in a given month: the one SQL definition the ledger checks, the targets and lists use."""

import calendar
from datetime import date

from sqlalchemy import ColumnElement, and_, or_

from employment_api.roster.models import Labourer
from employment_api.rules import RuleSettings


def month_end(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def _years_before(day: date, years: int) -> date:
    if day.year - years < date.min.year:  # a date in the first centuries (a fuzzer's): nobody is born before it
        return date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def on_roster_in(month: date, rules: RuleSettings) -> ColumnElement[bool]:
    """Qualifies (or left only after the month), and of working age in full years on the month's first day."""
    oldest_birth = _years_before(month, rules.working_age_max + 1)  # born after this: not yet past the max age
    youngest_birth = _years_before(month, rules.working_age_min)  # born on or before this: old enough
    return and_(
        or_(Labourer.qualifies, Labourer.left_on > month_end(month)),
        Labourer.birth_date > oldest_birth,
        Labourer.birth_date <= youngest_birth,
    )
