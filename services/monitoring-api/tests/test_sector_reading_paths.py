"""Property: whatever a department sends, reading a part column-wise (lines stored as sent where they can be) stages
the same rows, refuses the same lines for the same reasons and fails the same way as reading it row by row."""

import asyncio
import csv
import hashlib
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitoring_api.sector.enums import DataType
from monitoring_api.sector.errors import BadUpload
from monitoring_api.sector.intake import parsing, staging
from monitoring_api.sector.intake.fields import STAGED_COLUMNS, Code, Day, Money, Region, ResidentId, specs_with_day
from monitoring_api.sector.intake.validation import validator_for

from .test_sector_helpers import TODAY, pid

DATES = {"event_date", "due_date", "resolved_date"}
AMOUNTS = {"amount", "out_of_pocket"}
NOISE = st.text(alphabet='0123456789Xx-./ ,"李王\t\r\x0b\u2028\\', max_size=20)  # \u2028 and \x0b are not line ends


def _typed(column: str, value: Any) -> Any:
    """A staged value as PostgreSQL would hold it, from either text (as sent) or a parsed Python value."""
    if value is None or value == "":
        return None
    if column in DATES:
        return value if isinstance(value, date) else date.fromisoformat(value)
    if column in AMOUNTS:
        return Decimal(value)
    if column in STAGED_COLUMNS[:3]:
        return int(value)
    return value


def _good(parse: Any, n: int) -> str:
    if isinstance(parse, ResidentId):
        return pid(f"19{60 + n % 40}0{n % 9 + 1}1{n % 10}")
    if isinstance(parse, Code):
        return sorted(parse.allowed)[n % len(parse.allowed)]
    if isinstance(parse, Day):
        return f"2024-0{n % 5 + 1}-0{n % 9 + 1}"
    if isinstance(parse, Money):
        return ("0" if n % 7 == 0 else "") + f"{n * 13 % 900}.{n % 100:02d}"
    if isinstance(parse, Region):
        return f"360702{n:06d}"
    return ["张三", "Li Si", "第一中学", ""][n % 4]


def _variants(value: str) -> list[str]:
    """Other ways of writing a good value that the checks accept (rewritten) or refuse."""
    return [" " + value, value + " ", value.replace("-", "/"), value.replace("-", ""), value.lower(), "0" + value]


@st.composite
def parts(draw: st.DrawFn) -> tuple[DataType, bytes]:
    data_type = draw(st.sampled_from(list(DataType)))
    names = [spec.name for spec in specs_with_day(data_type, TODAY)]
    by_name = {spec.name: spec for spec in specs_with_day(data_type, TODAY)}
    header = [name for name in draw(st.permutations(names)) if by_name[name].required or draw(st.integers(0, 3))]
    if draw(st.integers(0, 3)) == 0:  # a column we do not store, or one sent twice
        header = [*header, draw(st.sampled_from(["remark", "name", "身份证号"]))]
    # Quotes nowhere, around every field (as many exporters write), or on some lines only; an inner quote doubled.
    quoting = draw(st.sampled_from(["none", "all", "some"]))

    def line(values: list[str]) -> str:
        if quoting == "all" or (quoting == "some" and draw(st.booleans())):
            return ",".join('"' + value.replace('"', '""') + '"' for value in values)
        return ",".join(values)

    lines = [line(header)]
    for n in range(draw(st.integers(min_value=0, max_value=12))):
        values = []
        for name in header:
            good = _good(by_name[name].parse, n) if name in by_name else "x"
            kind = draw(st.integers(0, 15))
            values.append(draw(NOISE) if kind == 0 else draw(st.sampled_from(_variants(good))) if kind == 1 else good)
        lines.append(line(values))
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            lines.append(draw(st.sampled_from(["", "  ", ",", '"quoted, field"'])))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    body = newline.join(lines) + draw(st.sampled_from(["", newline]))
    return data_type, body.encode()


async def _read(data_type: DataType, body: bytes) -> Any:
    """(staged rows, refused lines, unreadable lines) as the staging step would write them, or the upload's error."""
    validator = validator_for(data_type, TODAY)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 37):
            yield body[start : start + 37]

    staged, refused, unreadable = [], [], []
    try:
        fmt = parsing.negotiate("text/csv", None, None)
        async for batch in parsing.parse(chunks(), fmt, validator.required, hashlib.sha256()):
            unreadable += batch.unreadable
            columns = validator.columns_as_sent(batch)
            if columns is not None:
                text = staging._lines_as_sent(1, 1, batch).decode()
                names = (*STAGED_COLUMNS[:3], *columns)
                staged += [dict(zip(names, row, strict=True)) for row in csv.reader(text.split("\n")[:-1])]
                continue
            rows, problems = validator.check(1, 1, batch)
            staged += [dict(zip(validator.copy_columns, row, strict=True)) for row in rows]
            refused += [(line, reasons) for line, reasons, _ in problems]
    except BadUpload as exc:
        return "refused whole", exc.detail
    typed = [{name: _typed(name, value) for name, value in row.items()} for row in staged]
    rows = sorted(({k: v for k, v in row.items() if v is not None} for row in typed), key=lambda r: r["line_number"])
    return rows, refused, unreadable


@given(parts())
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_column_wise_and_row_wise_reading_stage_the_same(part: tuple[DataType, bytes]) -> None:
    data_type, body = part
    with mock.patch.object(parsing, "STRETCH_CHARS", 64):  # several stretches, some clean, some not
        column_wise = asyncio.run(_read(data_type, body))
        with mock.patch.object(parsing._CsvRecords, "_columns", lambda self, text: None):
            row_wise = asyncio.run(_read(data_type, body))
    assert column_wise == row_wise, body
