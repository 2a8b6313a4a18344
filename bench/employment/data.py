"""The benchmark's data: labourers spread over the district's villages, a year of ledger entries, an upload file."""

import csv
import io
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import Workbook

from employment_api.sheets.columns import HEADINGS

STATUSES = [("务工", 60), ("公益性岗位", 5), ("帮扶车间", 5), ("自主创业", 5), ("灵活就业", 10), ("未就业", 15)]
PLACES = ("县内", "县外省内", "省外")
OBSERVED = datetime(2026, 12, 1, tzinfo=UTC)
CATEGORIES = [("脱贫户", 80), ("脱贫不稳定户", 10), ("边缘易致贫户", 10)]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def id_number(n: int) -> str:
    return f"36070219{n:010d}"  # 18 characters; the upload compares it with the roster, the roster copied it


def labourers(first_id: int, count: int, villages: list[str], seed: int) -> Iterator[tuple[object, ...]]:
    """Rows for employment.labourer (households of about 2.5 labourers, all of working age)."""
    rng = random.Random(seed)
    household = first_id * 10
    for n in range(first_id, first_id + count):
        if rng.random() < 0.4:
            household += 1
        village = villages[household % len(villages)]
        birth = date(1970 + rng.randrange(35), 1 + rng.randrange(12), 1 + rng.randrange(28))
        category = _pick(rng, CATEGORIES)
        yield (n, n, household, village, id_number(n), f"劳动力{n}", "男", birth, "普通劳动力", category, "正常", None,
               "正常", True, None, OBSERVED, 1)  # fmt: skip


LABOURER_COLUMNS = [
    "id", "member_id", "household_id", "region_code", "id_number", "name", "sex", "birth_date", "labour_skill",
    "household_category", "member_status", "status_date", "household_status", "qualifies", "left_on", "observed_at",
    "version",
]  # fmt: skip


def job(rng: random.Random) -> tuple[str, str | None, str | None, int | None, Decimal | None, str | None]:
    status = _pick(rng, STATUSES)
    if status == "未就业":
        return status, None, None, None, None, None
    income = Decimal(1500 + rng.randrange(6000)).quantize(Decimal("0.01"))
    return status, rng.choice(PLACES), "某用工单位", 1 + rng.randrange(12), income, "亲友介绍"


def entries(labourer_rows: list[tuple[object, ...]], months: list[date], seed: int) -> Iterator[tuple[object, ...]]:
    """Rows for employment.ledger_entry: every labourer, every month."""
    rng = random.Random(seed)
    for month in months:
        for row in labourer_rows:
            status, place, employer, worked, income, channel = job(rng)
            yield (row[0], month, row[3], row[2], status, place, employer, worked, income, channel, False, None, 1)


ENTRY_COLUMNS = [
    "labourer_id", "month", "region_code", "household_id", "status", "place", "employer", "months_worked",
    "monthly_income", "job_channel", "late", "late_reason", "version",
]  # fmt: skip


def upload_rows(first_id: int, count: int, seed: int) -> list[list[object]]:
    rng = random.Random(seed)
    rows = []
    for n in range(first_id, first_id + count):
        status, place, employer, worked, income, channel = job(rng)
        rows.append([n, id_number(n), f"劳动力{n}", status, place, employer, worked, income, channel])
    return rows


def as_csv(rows: list[list[object]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADINGS)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return text.getvalue().encode("utf-8")


def as_xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("就业台账")
    sheet.append(list(HEADINGS))
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
