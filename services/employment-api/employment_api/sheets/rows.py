"""Checks the rows of an uploaded ledger on their own (types, codes, the job-fields rule), column by column, no queries.

Each check runs over a whole column (set membership, a conversion per distinct value), and the errors are put back in
the order a person reads the sheet: by row, then in the order of the checks below. What needs the database (is the
labourer ours, on the roster, the same person) is checked against the roster's facts in roster_check.py.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from employment_api.ledger.enums import EmploymentStatus, JobChannel, Place
from employment_api.ledger.service import JOB_ONLY, job_field_problem
from employment_api.sheets.columns import INDEX

STATUSES = frozenset(EmploymentStatus)
PLACES = frozenset(Place)
CHANNELS = frozenset(JobChannel)
MAX_INCOME = Decimal("999999.99")
FIRST_DATA_ROW = 2  # row 1 holds the headings
T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it
    column: str  # the column's key
    message: str  # Chinese, for the person who fixes the sheet


@dataclass
class Checked:
    """The filled rows, column by column, as the ledger stores them (valid only when the check found no error)."""

    row_no: list[int]
    labourer_id: list[int]
    id_number: list[str]
    status: list[str]
    place: list[str | None]
    employer: list[str | None]
    months_worked: list[int | None]
    monthly_income: list[Decimal | None]
    job_channel: list[str | None]


def whole_number(text: str) -> int | None:
    """The number a cell's digits spell, or None. isdecimal, not isdigit: "²" and "①" are digits int() refuses."""
    return int(text) if text.isdecimal() and len(text) <= 18 else None


def _income(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > MAX_INCOME or value != value.quantize(Decimal("0.01")):
        return None
    return value


def _per_value(convert: Callable[[str], T], texts: list[str]) -> list[T | None]:
    """`convert` of each non-empty text (None for an empty one), computed once per distinct text."""
    known: dict[str, T | None] = {text: convert(text) for text in set(texts) if text}
    known[""] = None
    return [known[text] for text in texts]


def _or_none(texts: list[str]) -> list[str | None]:
    return [text or None for text in texts]


def _duplicates(ids: list[int | None], row_no: list[int], seen: dict[int, int]) -> list[tuple[int, int]]:
    """(row index, the sheet row the same labourer first appeared on) of each repeat; `seen` (labourer → first sheet
    row) carries over from the chunks before and is kept up to date."""
    given = [(labourer, row) for labourer, row in zip(ids, row_no, strict=True) if labourer is not None]
    fresh = dict(given)
    if len(fresh) == len(given) and seen.keys().isdisjoint(fresh):
        seen.update(fresh)
        return []
    repeated = []
    for n, labourer in enumerate(ids):
        if labourer is None:
            continue
        if labourer in seen:
            repeated.append((n, seen[labourer]))
        else:
            seen[labourer] = row_no[n]
    return repeated


def _job_field_problems(
    status: list[str], place: list[str | None], given: list[tuple[bool, bool, bool]]
) -> list[tuple[int, str, str]]:
    """The job-fields rule on each row with a valid status; the rule looks only at which fields are filled in, so it
    is asked once per distinct (status, place, which others are given)."""
    asked: dict[tuple[str, str | None, tuple[bool, bool, bool]], tuple[str, str, str] | None] = {}
    found = []
    for n, key in enumerate(zip(status, place, given, strict=True)):
        if key[0] not in STATUSES:
            continue
        if key not in asked:
            others = {name: (True if filled else None) for name, filled in zip(JOB_ONLY[1:], key[2], strict=True)}
            asked[key] = job_field_problem(key[0], key[1], others)
        problem = asked[key]
        if problem is not None:
            found.append((n, problem[0], problem[2]))
    return found


def check(
    columns: list[list[str]], filled: list[bool], first_row: int = FIRST_DATA_ROW, seen: dict[int, int] | None = None
) -> tuple[Checked, list[RowError]]:
    """The filled rows checked (the sheet's rows from `first_row`); errors by sheet row, then in the order of the
    checks. `seen` carries the labourers met in earlier chunks of the same sheet."""
    live = [n for n, row_filled in enumerate(filled) if row_filled]
    if len(live) != len(filled):
        columns = [[column[n] for n in live] for column in columns]
    row_no = [first_row + n for n in live]

    def column(key: str) -> list[str]:
        return columns[INDEX[key]]

    found: list[tuple[int, int, str, str]] = []  # (index among the filled rows, check, column, message)

    def add(check_no: int, key: str, message: str, rows: list[int]) -> None:
        found.extend((n, check_no, key, message) for n in rows)

    ids = [whole_number(text) for text in column("labourer_id")]
    add(0, "labourer_id", "劳动力编号应为模板中的数字编号", [n for n, labourer in enumerate(ids) if labourer is None])
    repeats = _duplicates(ids, row_no, {} if seen is None else seen)
    found.extend((n, 0, "labourer_id", f"与第 {first} 行重复") for n, first in repeats)
    id_number = list(map(str.upper, column("id_number")))
    add(1, "id_number", "身份证号应为 18 位", [n for n, text in enumerate(id_number) if len(text) != 18])
    status = column("status")
    add(2, "status", "就业状态应从下拉列表中选择", [n for n, text in enumerate(status) if text not in STATUSES])
    place = _or_none(column("place"))
    add(3, "place", "务工地点应从下拉列表中选择", [n for n, text in enumerate(place) if text and text not in PLACES])
    employer = _or_none(column("employer"))
    add(4, "employer", "就业单位不超过 100 字", [n for n, text in enumerate(employer) if text and len(text) > 100])
    # PostgreSQL text cannot hold NUL: caught here, the row is reported instead of the whole COPY failing.
    add(4, "employer", "就业单位含有无法保存的字符", [n for n, text in enumerate(employer) if text and "\x00" in text])
    months_text = column("months_worked")
    months = _per_value(whole_number, months_text)
    bad_months = [
        n
        for n, (text, value) in enumerate(zip(months_text, months, strict=True))
        if text and (value is None or value > 12)
    ]
    add(5, "months_worked", "务工月数应为 0 到 12 的整数", bad_months)
    income_text = [text.replace(",", "") for text in column("monthly_income")]
    income = _per_value(_income, income_text)
    bad_income = [n for n, (text, value) in enumerate(zip(income_text, income, strict=True)) if text and value is None]
    add(6, "monthly_income", "月收入应为不小于 0 的金额，最多两位小数", bad_income)
    channel = _or_none(column("job_channel"))
    add(
        7,
        "job_channel",
        "就业渠道应从下拉列表中选择",
        [n for n, text in enumerate(channel) if text and text not in CHANNELS],
    )
    given = list(
        zip(
            [e is not None for e in employer],
            [bool(t) for t in income_text],
            [c is not None for c in channel],
            strict=True,
        )
    )
    found.extend((n, 8, key, message) for n, key, message in _job_field_problems(status, place, given))

    found.sort(key=lambda error: (error[0], error[1]))
    errors = [RowError(row_no[n], key, message) for n, _, key, message in found]
    checked = Checked(
        row_no, [labourer or 0 for labourer in ids], id_number, status, place, employer, months, income, channel
    )
    return checked, errors
