"""The repayment schedule of a loan, and the eligibility arithmetic (age, maturity) the rules need. Pure functions.

Interest follows the banks' convention for these loans: daily rate = annual rate / 360, charged on the principal
still owed for the actual days of the period. Every amount is rounded half-up to the fen (0.01 yuan) per instalment;
with 等额本金 the last instalment takes the rounding remainder of the principal, so the schedule sums exactly.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from funds_api.credit.enums import RepaymentMethod

FEN = Decimal("0.01")
DAYS_IN_YEAR = Decimal(360)


def to_fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def add_months(day: date, months: int) -> date:
    """Same day of the month `months` later; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_between(start: date, end: date) -> int:
    """Whole months from start to end, counting a partial month as a whole one (for the extension limit)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (1 if add_months(start, months) < end else 0)


def age_on(birth: date, day: date) -> int:
    """Full years of age on `day` (a birthday counts from the day itself)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Installment:
    seq: int
    due_on: date
    principal_due: Decimal
    interest_due: Decimal


def due_dates(start: date, maturity: date, period_months: int) -> list[date]:
    """Every `period_months` after start, anchored on start (no drift after a short month), ending at maturity."""
    dates = []
    step = 1
    while (day := add_months(start, step * period_months)) < maturity:
        dates.append(day)
        step += 1
    return [*dates, maturity]


def draw(
    principal: Decimal,
    annual_rate: Decimal,
    start: date,
    maturity: date,
    method: RepaymentMethod,
    period_months: int,
    first_seq: int = 1,
) -> list[Installment]:
    """The schedule for `principal` owed from `start` to `maturity`."""
    dates = due_dates(start, maturity, period_months)
    if method is RepaymentMethod.equal_principal:
        share = to_fen(principal / len(dates))
        parts = [share] * (len(dates) - 1) + [principal - share * (len(dates) - 1)]
    else:
        parts = [Decimal(0)] * (len(dates) - 1) + [principal]
    owed = principal
    previous = start
    lines = []
    for offset, (due_on, part) in enumerate(zip(dates, parts, strict=True)):
        interest = to_fen(owed * annual_rate * (due_on - previous).days / DAYS_IN_YEAR)
        lines.append(Installment(first_seq + offset, due_on, part, interest))
        owed -= part
        previous = due_on
    return lines
