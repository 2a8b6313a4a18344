"""Checks each row of an uploaded ledger on its own (types, codes, the job-fields rule) in one pass, no queries.

What needs the database (is the labourer ours, on the roster, the same person) is checked set-based in staging.py.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from employment_api.ledger.enums import EmploymentStatus, JobChannel, Place
from employment_api.ledger.service import job_field_problem
from employment_api.sheets.columns import COLUMNS, INDEX

STATUSES = frozenset(EmploymentStatus)
PLACES = frozenset(Place)
CHANNELS = frozenset(JobChannel)
MAX_INCOME = Decimal("999999.99")
FIRST_DATA_ROW = 2  # row 1 holds the headings


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it
    column: str  # the column's key
    message: str  # Chinese, for the person who fixes the sheet


Record = tuple[int, int, str, str, str | None, str | None, int | None, Decimal | None, str | None]
"""(row, labourer_id, id_number, status, place, employer, months_worked, monthly_income, job_channel)"""


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _income(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > MAX_INCOME or value != value.quantize(Decimal("0.01")):
        return None
    return value


def check(rows: list[list[str]]) -> tuple[list[Record], list[RowError]]:
    records: list[Record] = []
    errors: list[RowError] = []
    seen: dict[int, int] = {}
    width = len(COLUMNS)
    for offset, raw in enumerate(rows):
        row = FIRST_DATA_ROW + offset
        cells = (raw + [""] * width)[:width]
        if not any(cells):
            continue  # an empty line in the middle of the sheet
        bad = len(errors)
        labourer_id = _int(cells[INDEX["labourer_id"]])
        if labourer_id is None:
            errors.append(RowError(row, "labourer_id", "劳动力编号应为模板中的数字编号"))
        elif labourer_id in seen:
            errors.append(RowError(row, "labourer_id", f"与第 {seen[labourer_id]} 行重复"))
        else:
            seen[labourer_id] = row
        id_number = cells[INDEX["id_number"]].upper()
        if len(id_number) != 18:
            errors.append(RowError(row, "id_number", "身份证号应为 18 位"))
        status = cells[INDEX["status"]]
        if status not in STATUSES:
            errors.append(RowError(row, "status", "就业状态应从下拉列表中选择"))
        place = cells[INDEX["place"]] or None
        if place is not None and place not in PLACES:
            errors.append(RowError(row, "place", "务工地点应从下拉列表中选择"))
        employer = cells[INDEX["employer"]] or None
        if employer is not None and len(employer) > 100:
            errors.append(RowError(row, "employer", "就业单位不超过 100 字"))
        months_text = cells[INDEX["months_worked"]]
        months = _int(months_text) if months_text else None
        if months_text and (months is None or months > 12):
            errors.append(RowError(row, "months_worked", "务工月数应为 0 到 12 的整数"))
        income_text = cells[INDEX["monthly_income"]].replace(",", "")
        income = _income(income_text) if income_text else None
        if income_text and income is None:
            errors.append(RowError(row, "monthly_income", "月收入应为不小于 0 的金额，最多两位小数"))
        channel = cells[INDEX["job_channel"]] or None
        if channel is not None and channel not in CHANNELS:
            errors.append(RowError(row, "job_channel", "就业渠道应从下拉列表中选择"))
        if status in STATUSES:
            others = {"employer": employer, "monthly_income": income_text or None, "job_channel": channel}
            problem = job_field_problem(status, place, others)
            if problem is not None:
                name, _, reason_zh = problem
                errors.append(RowError(row, name, reason_zh))
        if len(errors) == bad and labourer_id is not None:  # a row without an id has an error already
            records.append((row, labourer_id, id_number, status, place, employer, months, income, channel))
    return records, errors
