"""The ledger upload's row-level error report, cell by cell: every kind of bad value, in CSV and XLSX, with the exact
messages, their order and the counts (written down from the checks as they were before they were made column-wise).
"""

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from emp_helpers import Sessions, Tokens, set_today
from fastapi import FastAPI
from openpyxl import Workbook

from conftest import OTHER_VILLAGE, VILLAGE
from dixian_shared import idnumber
from employment_api.models import COMMON as EMPLOYMENT
from employment_api.roster.models import Labourer
from employment_api.sheets import writing
from employment_api.sheets.columns import HEADINGS

ID = "36070219800101001X"
BAD_ROWS: list[list[Any]] = [
    ["abc", "12345", "名", "打零工", "火星", "厂" * 101, "13", "-5", "朋友"],
    [],
    ["1001", ID.lower(), "名", "未就业", "县内", "", "", "", ""],
    ["1001", ID, "名", "务工", "", "", "", "", ""],
    [" 1002 ", f" {ID} ", "名", "务工", "省外", "厂", "12", "1,234.5", "亲友介绍"],
    ["1003", ID, "名", "务工", "省外", "", "3.5", "12.345", ""],
    ["1004", ID, "名", "未就业", "", "", "", "100", ""],
    ["", "", "", "", "", "", "", "", "", "表外的字"],
    ["1005", "1", "名"],
    ["99999999999999999999", ID, "名", "未就业"],
    ["1006", ID, "名", "未就业", "", "某厂", "", "", "其他"],
    ["1007", ID, "名", "务工", "县内", "", "", "NaN", ""],
    ["1008", ID, "名", "务工", "县内", "", "０", "1e3", "网络平台"],
    ["1009", ID, "名", "务工", "县内", "", "", "Infinity", "打听"],
    ["", "", "", "", "", "", "", "", ""],
]
LIST = "应从下拉列表中选择"
EXPECTED = [
    (2, "labourer_id", "劳动力编号应为模板中的数字编号"),
    (2, "id_number", "身份证号应为 18 位"),
    (2, "status", "就业状态" + LIST),
    (2, "place", "务工地点" + LIST),
    (2, "employer", "就业单位不超过 100 字"),
    (2, "months_worked", "务工月数应为 0 到 12 的整数"),
    (2, "monthly_income", "月收入应为不小于 0 的金额，最多两位小数"),
    (2, "job_channel", "就业渠道" + LIST),
    (4, "place", "就业状态为未就业，不应填写务工地点"),
    (5, "labourer_id", "与第 4 行重复"),
    (5, "place", "就业状态为务工，须填写务工地点"),
    (7, "months_worked", "务工月数应为 0 到 12 的整数"),
    (7, "monthly_income", "月收入应为不小于 0 的金额，最多两位小数"),
    (8, "monthly_income", "就业状态为未就业，不应填写月收入"),
    (10, "id_number", "身份证号应为 18 位"),
    (10, "status", "就业状态" + LIST),
    (11, "labourer_id", "劳动力编号应为模板中的数字编号"),
    (12, "employer", "就业状态为未就业，不应填写就业单位"),
    (13, "monthly_income", "月收入应为不小于 0 的金额，最多两位小数"),
    (15, "monthly_income", "月收入应为不小于 0 的金额，最多两位小数"),
    (15, "job_channel", "就业渠道" + LIST),
]


def _csv(rows: list[list[Any]]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([list(HEADINGS), *rows])
    return text.getvalue().encode()


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [list(HEADINGS), *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def _refused(employment: httpx.AsyncClient, token_for: Tokens, name: str, content: bytes) -> dict[str, Any]:
    response = await employment.post(
        f"/ledger/2026-10/villages/{VILLAGE}/upload",
        files={"file": (name, content)},
        headers=token_for("village", VILLAGE),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert body["state"] == "已拒绝" and body["inserted"] == 0
    return body


@pytest.mark.parametrize("chunk", [10_000, 3])
@pytest.mark.parametrize("name, make", [("台账.csv", _csv), ("台账.xlsx", _xlsx)])
async def test_every_kind_of_bad_cell_is_reported_in_order(
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    token_for: Tokens,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    make: Any,
    chunk: int,
) -> None:
    monkeypatch.setattr(writing, "CHUNK_ROWS", chunk)  # 3: a repeat and the job-fields rule across chunks
    set_today(employment_app, date(2026, 10, 9))
    body = await _refused(employment, token_for, name, make(BAD_ROWS))
    assert [(e["row"], e["column"], e["message"]) for e in body["errors"]] == EXPECTED
    # 13 rows with something in them (one only beyond the template's columns); 10 of them wrong.
    assert (body["rows_read"], body["accepted"], body["refused"]) == (13, 3, 10)


async def test_numbers_typed_into_a_workbook_are_read_as_the_text_they_show(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens
) -> None:
    set_today(employment_app, date(2026, 10, 9))
    rows: list[list[Any]] = [
        [12.5, ID, "名", "务工", "县内", "", 2.0, 800.5, ""],
        [-3, ID, "名", "务工", "县内", "", -1, 0.125, ""],
        [1010, ID, "名", "务工", "县内", "", 13, date(2026, 1, 1), ""],
        [1011, 360702198001010011, "名", True, "县内", "", "", "", ""],
    ]
    body = await _refused(employment, token_for, "台账.xlsx", _xlsx(rows))
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (2, "labourer_id"),
        (3, "labourer_id"),
        (3, "months_worked"),
        (3, "monthly_income"),
        (4, "months_worked"),
        (4, "monthly_income"),
        (5, "status"),
    ]
    assert (body["rows_read"], body["accepted"], body["refused"]) == (4, 0, 4)


def _labourer(region_code: str, serial: int, *, born: date = date(1980, 1, 1), qualifies: bool = True) -> Labourer:
    return Labourer(
        member_id=900_000 + serial, household_id=800_000 + serial, region_code=region_code,
        id_number=idnumber.make(f"36070219800101{serial:03d}"), name="张三", sex="男", birth_date=born,
        labour_skill="普通劳动力", household_category="脱贫户", member_status="正常", household_status="正常",
        qualifies=qualifies, observed_at=datetime.now(UTC),
    )  # fmt: skip


@pytest.mark.parametrize("chunk", [10_000, 2])
async def test_rows_the_roster_refuses_are_reported_with_the_reason(
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    token_for: Tokens,
    session_on: Sessions,
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
) -> None:
    monkeypatch.setattr(writing, "CHUNK_ROWS", chunk)  # 2: the first good row is written before the wrong ones
    set_today(employment_app, date(2026, 10, 9))
    people = [
        _labourer(VILLAGE, 1),
        _labourer(VILLAGE, 2, born=date(1950, 1, 1)),  # past working age
        _labourer(OTHER_VILLAGE, 3),
        _labourer(VILLAGE, 4, qualifies=False),  # never on the roster (left_on stays empty)
        _labourer(VILLAGE, 5),
    ]
    async with session_on(EMPLOYMENT) as session:
        session.add_all(people)
        await session.flush()
        (ok, old, stranger, never, other) = [(p.id, p.id_number) for p in people]
        await session.commit()
    rows = [
        [*ok, "名", "未就业"],
        [*old, "名", "未就业"],
        [*stranger, "名", "未就业"],
        [*never, "名", "未就业"],
        [2**40, ok[1], "名", "未就业"],
        [other[0], ok[1], "名", "未就业"],
    ]
    body = await _refused(employment, token_for, "台账.csv", _csv(rows))
    roster = "该劳动力本月不在名册内（劳动能力、劳动年龄、健在、在册）"
    assert [(e["row"], e["column"], e["message"]) for e in body["errors"]] == [
        (3, "labourer_id", roster),
        (4, "labourer_id", "该劳动力不属于本村"),
        (5, "labourer_id", roster),
        (6, "labourer_id", "劳动力编号不存在"),
        (7, "id_number", "身份证号与劳动力编号不一致"),
    ]
    assert (body["rows_read"], body["accepted"], body["refused"]) == (6, 1, 5)
    assert (await employment.get("/ledger/2026-10/entries", headers=token_for("village", VILLAGE))).json()[
        "items"
    ] == []


async def test_a_wrong_row_after_written_chunks_leaves_nothing_written(
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    token_for: Tokens,
    session_on: Sessions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(writing, "CHUNK_ROWS", 1)  # every row its own chunk: two COPYed before the third is read
    set_today(employment_app, date(2026, 10, 9))
    people = [_labourer(VILLAGE, 10 + n) for n in range(3)]
    async with session_on(EMPLOYMENT) as session:
        session.add_all(people)
        await session.flush()
        ids = [(p.id, p.id_number) for p in people]
        await session.commit()
    village = token_for("village", VILLAGE)
    good = [[*person, "名", "务工", "县内", "", "", "", ""] for person in ids]
    body = await _refused(employment, token_for, "台账.csv", _csv([*good[:2], [*ids[2], "名", "打零工"]]))
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(4, "status")]
    assert (await employment.get("/ledger/2026-10/entries", headers=village)).json()["items"] == []
    response = await employment.post(
        f"/ledger/2026-10/villages/{VILLAGE}/upload", files={"file": ("台账.csv", _csv(good))}, headers=village
    )
    assert (response.json()["state"], response.json()["inserted"]) == ("已完成", 3)
    entries = (await employment.get("/ledger/2026-10/entries", headers=village)).json()["items"]
    assert sorted(e["labourer_id"] for e in entries) == sorted(person[0] for person in ids)
