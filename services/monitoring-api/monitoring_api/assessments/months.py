"""Calendar months as dates: a month is its first day; input may be 'YYYY-MM' or 'YYYY-MM-01'."""

import calendar
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema


def first_day(day: date) -> date:
    return day.replace(day=1)


def last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def parse_month(value: Any) -> Any:
    """Accept 'YYYY-MM' as well as a date on the first of the month; anything else is left to fail validation."""
    if not isinstance(value, str | date):
        # Pydantic would read a number as a Unix timestamp; a month is never written that way.
        raise ValueError("a month is 'YYYY-MM' or the first day of the month 'YYYY-MM-01'")
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        value = f"{value}-01"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError("a month is 'YYYY-MM' or the first day of the month 'YYYY-MM-01'") from None
    if isinstance(value, date) and value.day != 1:
        raise ValueError("a month is 'YYYY-MM' or the first day of the month 'YYYY-MM-01'")
    if isinstance(value, date) and not 2000 <= value.year <= 2100:
        # Month arithmetic near date.min/date.max would overflow; no assessment is that old or that far ahead.
        raise ValueError("a month between 2000-01 and 2100-12")
    return value


Month = Annotated[
    date,
    BeforeValidator(parse_month),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-01)?$", "examples": ["2024-05"]}),
]
