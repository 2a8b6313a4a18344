"""Lines stored as the department sent them (PostgreSQL's COPY reads the CSV) must be exactly what the one-by-one
checks would have stored, and anything those checks would refuse or rewrite must go the one-by-one way."""

import csv
import hashlib
import io
import random
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.deps import get_today
from monitoring_api.models import COMMON
from monitoring_api.sector.enums import DataType
from monitoring_api.sector.intake import parsing
from monitoring_api.sector.intake.fields import Code, Day, Money, Region, ResidentId, Text
from monitoring_api.sector.intake.validation import BatchValidator, validator_for
from monitoring_api.sector.models import staged_row

from .test_sector_helpers import CSV, TODAY, csv_bytes, department_key, jsonl_bytes, pid

Sessions = Callable[..., AsyncSession]


@pytest.fixture(autouse=True)
def fixed_today(monitoring_app: FastAPI) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY


async def _batches(body: bytes, validator: BatchValidator) -> list[parsing.RecordBatch]:
    async def chunks() -> AsyncIterator[bytes]:
        yield body

    fmt = parsing.negotiate("text/csv", None, None)
    return [batch async for batch in parsing.parse(chunks(), fmt, validator.required, hashlib.sha256())]


def _sample(parse: Any, draw: random.Random) -> str:
    """A valid value in the form it is stored in."""
    if isinstance(parse, ResidentId):
        return pid(f"{draw.randint(1940, 2010)}0{draw.randint(1, 9)}1{draw.randint(0, 9)}")
    if isinstance(parse, Code):
        return draw.choice(sorted(parse.allowed))
    if isinstance(parse, Day):
        return f"2024-0{draw.randint(1, 5)}-1{draw.randint(0, 9)}"
    if isinstance(parse, Money):
        return f"{draw.randint(0, 99999)}.{draw.randint(0, 99):02d}"
    if isinstance(parse, Region):
        return f"360702{draw.randint(0, 999999):06d}"
    assert isinstance(parse, Text)
    return draw.choice(["张三", "欧阳娜娜", "Li Si", "第一中学", "卫生院"])


# Values that keep the checks across fields happy: no more out of pocket than the cost, no end before the start.
AFTER_THE_START = {"out_of_pocket": "0.00", "due_date": "2024-06-01", "resolved_date": "2024-06-01"}


def _valid_row(validator: BatchValidator, draw: random.Random) -> dict[str, str]:
    return {spec.name: AFTER_THE_START.get(spec.column) or _sample(spec.parse, draw) for spec in validator.specs}


# What a department may send that the checks refuse, or accept only after rewriting it (no change is "as sent").
CORRUPTIONS: dict[type, list[Callable[[str], str]]] = {
    ResidentId: [
        lambda v: v[:17] + ("0" if v[17] != "0" else "1"),  # wrong check character
        lambda v: v.lower() if v.endswith("X") else v[:-1] + "x",  # lower-case x (valid or not, rewritten)
        lambda v: " " + v,
        lambda v: v[:16],
        lambda v: v[:6] + "20991231" + v[14:],  # born in the future (and a wrong check character)
        lambda v: v[:6] + "19900231" + v[14:],
        lambda v: "３" + v[1:],  # a full-width digit
        lambda v: v[:3] + "X" + v[4:],
        lambda v: "",
    ],
    Code: [lambda v: v + "?", lambda v: " " + v, lambda v: "unknown"],
    Day: [lambda v: v.replace("-", "/"), lambda v: v.replace("-", ""), lambda v: "2024-02-30", lambda v: "2099-01-01"],
    Money: [lambda v: "-" + v, lambda v: v + "1", lambda v: "1,000.00", lambda v: " " + v, lambda v: "1e3"],
    Region: [lambda v: v[:11], lambda v: v + " ", lambda v: "36070200100A"],
    Text: [lambda v: v + " ", lambda v: "字" * 201],
}


def _stored_as_sent(validator: BatchValidator, batch: parsing.RecordBatch) -> bool:
    """What the one-by-one checks say: every row accepted, every value stored exactly as it was sent."""
    rows, refused = validator.check(1, 1, batch)
    if refused or len(rows) != len(batch.lines):
        return False
    assert batch.header is not None and batch.columns is not None
    columns = list(validator.copy_columns)
    for name, sent in zip(batch.header, batch.columns, strict=True):
        spec = next(s for s in validator.specs if s.name == name)
        stored = [row[columns.index(spec.column)] for row in rows]
        if [_as_text(value) for value in stored] != sent:
            return False
    return True


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)  # dates in ISO form, amounts as written


@pytest.mark.parametrize("data_type", list(DataType))
async def test_a_batch_goes_as_sent_only_when_every_check_would_store_it_unchanged(data_type: DataType) -> None:
    validator = validator_for(data_type, TODAY)
    draw = random.Random(data_type.value)
    for trial in range(60):
        rows = [_valid_row(validator, draw) for _ in range(5)]
        if trial % 3:  # corrupt one value of one row
            spec = draw.choice(validator.specs)
            row = draw.choice(rows)
            corrupt = draw.choice(CORRUPTIONS[type(spec.parse)])
            row[spec.name] = corrupt(row[spec.name])
        [batch] = await _batches(csv_bytes(rows), validator)
        if batch.columns is None:  # the writer quoted something: the general reader took it
            continue
        as_sent = validator.columns_as_sent(batch)
        expected = _stored_as_sent(validator, batch)
        assert (as_sent is not None) == expected, (data_type, rows)
        if not trial % 3:
            assert as_sent is not None, rows  # valid rows in stored form do go as sent


async def test_a_cross_field_impossibility_is_not_stored_as_sent() -> None:
    validator = validator_for(DataType.medical_claim, TODAY)
    row = {
        "id_number": pid(),
        "claim_no": "C1",
        "settled_on": "2024-03-01",
        "total_cost": "100.00",
        "out_of_pocket": "300.00",
    }
    [batch] = await _batches(csv_bytes([row]), validator)
    assert batch.columns is not None
    assert validator.columns_as_sent(batch) is None
    assert validator.check(1, 1, batch)[1][0][1][0]["field"] == "out_of_pocket"


async def test_an_unknown_or_repeated_column_is_not_stored_as_sent() -> None:
    validator = validator_for(DataType.medical_enrolment, TODAY)
    row = {"id_number": pid(), "scheme": "城乡居民基本医疗保险"}
    [batch] = await _batches(csv_bytes([{**row, "remark": "x"}]), validator)
    assert validator.columns_as_sent(batch) is None
    body = f"id_number,scheme,scheme\r\n{row['id_number']},城乡居民基本医疗保险,职工基本医疗保险\r\n".encode()
    [batch] = await _batches(body, validator)
    assert validator.columns_as_sent(batch) is None


async def _staged(session_on: Sessions, batch_id: int) -> list[tuple[Any, ...]]:
    columns = [c for c in staged_row.c if c.name != "batch_id"]
    stmt = select(*columns).where(staged_row.c.batch_id == batch_id).order_by(staged_row.c.line_number)
    async with session_on(COMMON) as session:
        return [tuple(row) for row in (await session.execute(stmt)).all()]


async def test_rows_stored_as_sent_equal_rows_stored_one_by_one(
    monitoring: httpx.AsyncClient, session_on: Sessions
) -> None:
    """The same rows as CSV, plain or with every field quoted (both read by COPY), and as JSON lines (always checked
    one by one) stage the same."""
    key = await department_key(session_on, "student_aid")
    rows = [
        {
            "身份证号": pid(f"20{n % 10:02d}0{n % 9 + 1}1{n % 10}"),  # a Chinese heading, and ...X numbers
            "aid_type": "雨露计划" if n % 2 else "其他",
            "amount": ("0" if n % 11 == 0 else "") + f"{n * 37 % 5000}.{n % 100:02d}",  # 012.50 reads as 12.50
            "paid_on": f"2024-0{n % 5 + 1}-2{n % 9}",
            "school": "" if n % 3 == 0 else f"第{n}中学",  # absent: NULL both ways
            "name": "欧阳娜娜" if n % 2 else "Li Si",
        }
        for n in range(300)
    ]
    assert any(row["身份证号"].endswith("X") for row in rows)
    validator = validator_for(DataType.student_aid, TODAY)
    plain = csv_bytes(rows)  # CRLF line ends
    out = io.StringIO()
    quoted = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    quoted.writerows([list(rows[0]), *(row.values() for row in rows)])
    every_field_quoted = out.getvalue().encode()
    for body in (plain, every_field_quoted):
        batches = await _batches(body, validator)
        assert batches and all(validator.columns_as_sent(batch) is not None for batch in batches)

    staged = []
    for ref, content, headers in (
        ("AS-SENT", plain, CSV),
        ("AS-SENT-QUOTED", every_field_quoted, CSV),
        ("ONE-BY-ONE", jsonl_bytes(rows), {"Content-Type": "application/x-ndjson"}),
    ):
        opened = {"data_type": "student_aid", "period": "2024", "department_batch_id": ref}
        batch_id = (await monitoring.post("/batches", json=opened, headers=key)).json()["id"]
        part = await monitoring.put(f"/batches/{batch_id}/parts/1", content=content, headers={**key, **headers})
        assert part.status_code == 201, part.text
        assert (part.json()["rows_accepted"], part.json()["rows_rejected"]) == (300, 0)
        staged.append(await _staged(session_on, batch_id))
    assert len(staged[0]) == 300
    as_sent, as_sent_quoted, one_by_one = staged
    assert as_sent_quoted == as_sent  # a quoted empty school is NULL too
    assert as_sent == [(part, line + 1, *rest) for part, line, *rest in one_by_one]  # the CSV has a header line


async def test_a_part_mixing_good_and_bad_stretches_reports_the_bad_lines(
    monitoring: httpx.AsyncClient, session_on: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stretches of good lines go as sent, a stretch with a bad line goes one by one; lines keep their numbers."""
    monkeypatch.setattr(parsing, "STRETCH_CHARS", 200)  # a few lines per stretch
    key = await department_key(session_on, "medical_enrolment")
    rows = [{"id_number": pid(), "name": "王五", "scheme": "城乡居民基本医疗保险"} for _ in range(40)]
    number = rows[25]["id_number"]
    rows[25]["id_number"] = number[:17] + ("0" if number[17] != "0" else "1")  # a wrong check character
    opened = {"data_type": "medical_enrolment", "period": "2024-06", "department_batch_id": "MIX-1"}
    batch_id = (await monitoring.post("/batches", json=opened, headers=key)).json()["id"]
    part = await monitoring.put(f"/batches/{batch_id}/parts/1", content=csv_bytes(rows), headers={**key, **CSV})
    assert part.status_code == 201, part.text
    assert (part.json()["rows_accepted"], part.json()["rows_rejected"]) == (39, 1)
    errors = (await monitoring.get(f"/batches/{batch_id}/errors", headers=key)).json()["items"]
    assert [e["line_number"] for e in errors] == [27]  # the header is line 1
    staged = await _staged(session_on, batch_id)
    assert [row[1] for row in staged] == [n for n in range(2, 42) if n != 27]
    assert [row[2] for row in staged] == [row["id_number"] for n, row in enumerate(rows) if n != 25]


async def test_a_part_that_breaks_after_stretches_went_as_sent_leaves_nothing_staged(
    monitoring: httpx.AsyncClient, session_on: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stretches already copied as sent go back with the part when its end cannot be read; the part may come again."""
    monkeypatch.setattr(parsing, "STRETCH_CHARS", 300)
    key = await department_key(session_on, "medical_enrolment")
    rows = [{"id_number": pid(), "name": "赵六", "scheme": "职工基本医疗保险"} for _ in range(60)]
    good = csv_bytes(rows)
    opened = {"data_type": "medical_enrolment", "period": "2024-06", "department_batch_id": "BROKEN-END"}
    batch_id = (await monitoring.post("/batches", json=opened, headers=key)).json()["id"]
    url = f"/batches/{batch_id}/parts/1"
    for broken in (good + "李".encode("gb18030") + b"\r\n", good + b'"an unclosed quote,\r\n'):
        response = await monitoring.put(url, content=broken, headers={**key, **CSV})
        assert response.status_code == 422, response.text
        assert await _staged(session_on, batch_id) == []
    again = await monitoring.put(url, content=good, headers={**key, **CSV})
    assert again.status_code == 201, again.text
    assert len(await _staged(session_on, batch_id)) == 60
