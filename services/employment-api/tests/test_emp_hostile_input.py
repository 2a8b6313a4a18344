"""employment-api against a hostile client: each input below once gave a 500, a second grant, a misleading answer, a
silently dropped field or a change to a month already handed over. Now each is a 4xx problem naming the field (or a
refused sheet naming the cell) and changes nothing."""

import csv
import io
import zipfile
from datetime import date
from typing import Any

import httpx
import pytest
from emp_helpers import service_key
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy import select
from workforce_helpers import Sessions, Tokens, count, make_labourer, set_today

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, TOWN, VILLAGE
from dixian_shared.contracts import ServiceScope
from dixian_shared.testing import workbooks
from employment_api.ledger.models import LedgerEntry
from employment_api.models import COMMON
from employment_api.roster.models import Labourer
from employment_api.rules import RuleSettings
from employment_api.sheets import repository as sheet_queries
from employment_api.sheets import service as sheets
from employment_api.sheets.columns import HEADINGS
from employment_api.sheets.errors import ClosedWhileQueued
from employment_api.sheets.models import LedgerUpload
from employment_api.subsidies.models import Subsidy

UPLOAD = f"/ledger/2026-10/villages/{VILLAGE}/upload"


def _csv(*rows: list[str]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([list(HEADINGS), *rows])
    return text.getvalue().encode()


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


async def _labourer(session: Sessions) -> tuple[int, str]:
    async with session(COMMON) as s:
        labourer_id = await make_labourer(s, birth_date=date(1980, 1, 1))
        id_number = (await s.get(Labourer, labourer_id)).id_number  # type: ignore[union-attr]
        await s.commit()
    return labourer_id, id_number


async def test_removing_an_entrys_status_is_a_422_and_changes_nothing(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, date(2026, 11, 10))
    labourer_id, _ = await _labourer(session_on)
    village = token_for("village", VILLAGE)
    body = {"labourer_id": labourer_id, "status": "务工", "place": "县内"}
    entry = (await employment.post("/ledger/2026-11/entries", json=body, headers=village)).json()
    response = await employment.patch(
        f"/ledger/entries/{entry['id']}", json={"status": None}, headers={**village, "If-Match": '"1"'}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "body.status"
    assert response.json()["errors"][0]["message"] == "可以修改，但不能清空"
    again = (await employment.get(f"/ledger/entries/{entry['id']}", headers=village)).json()
    assert (again["status"], again["version"]) == ("务工", 1)


async def test_a_period_with_a_trailing_newline_is_refused_not_granted_twice(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, date(2026, 8, 10))
    labourer_id, _ = await _labourer(session_on)
    village = token_for("village", VILLAGE)
    grant = {"labourer_id": labourer_id, "kind": "交通补贴", "period": "2026", "amount": "500.00",
             "granted_on": "2026-08-01", "granted_by": "区人社局"}  # fmt: skip
    assert (await employment.post("/subsidies", json=grant, headers=village)).status_code == 201
    # `$` matched before a final newline: "2026\n" passed as a year the unique index counted apart from "2026".
    second = await employment.post("/subsidies", json={**grant, "period": "2026\n"}, headers=village)
    assert second.status_code == 422, second.text
    assert second.json()["rule"] == "subsidy-period"
    assert await count(session_on(COMMON), Subsidy) == 1


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        # str.isdigit() is true of these, int() refuses them: the whole upload was a 500.
        (["²", "{id_number}", "名", "务工", "县内", "", "", "", ""], "labourer_id", "劳动力编号应为模板中的数字编号"),
        (["①", "{id_number}", "名", "务工", "县内", "", "", "", ""], "labourer_id", "劳动力编号应为模板中的数字编号"),
        (
            ["{id}", "{id_number}", "名", "务工", "县内", "", "³", "", ""],
            "months_worked",
            "务工月数应为 0 到 12 的整数",
        ),
        # PostgreSQL refused the NUL in the middle of the COPY: a problem naming only "body".
        (
            ["{id}", "{id_number}", "名", "务工", "县内", "某\x00厂", "", "", ""],
            "employer",
            "就业单位含有无法保存的字符",
        ),
    ],
)
async def test_a_cell_python_or_postgresql_cannot_take_is_reported_on_its_row(
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    token_for: Tokens,
    session_on: Sessions,
    cells: list[str],
    column: str,
    message: str,
) -> None:
    set_today(employment_app, date(2026, 10, 9))
    labourer_id, id_number = await _labourer(session_on)
    village = token_for("village", VILLAGE)
    row = [cell.format(id=labourer_id, id_number=id_number) for cell in cells]
    response = await employment.post(UPLOAD, files={"file": ("台账.csv", _csv(row))}, headers=village)
    assert response.status_code == 201, response.text
    upload = response.json()
    assert upload["state"] == "已拒绝"
    assert [(e["row"], e["column"], e["message"]) for e in upload["errors"]] == [(2, column, message)]
    assert await count(session_on(COMMON), LedgerEntry) == 0
    # The report writes the sheet back: a control character is dropped from the cell, not a 500.
    report = await employment.get(f"/ledger/uploads/{upload['id']}/errors.xlsx", headers=village)
    assert report.status_code == 200, report.text
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert sheet.cell(row=2, column=1).value is not None


async def test_a_control_character_stored_through_the_api_does_not_break_the_template(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, date(2026, 10, 9))
    labourer_id, _ = await _labourer(session_on)
    village = token_for("village", VILLAGE)
    body = {"labourer_id": labourer_id, "status": "务工", "place": "县内", "employer": "某\x01厂"}
    assert (await employment.post("/ledger/2026-10/entries", json=body, headers=village)).status_code == 201
    template = await employment.get(f"/ledger/2026-10/villages/{VILLAGE}/template.xlsx", headers=village)
    assert template.status_code == 200, template.text
    assert load_workbook(io.BytesIO(template.content)).active.cell(row=2, column=6).value == "某厂"


@pytest.mark.parametrize(
    "content",
    [
        _zip({"hello.txt": "not a workbook"}),
        _zip({"xl/workbook.xml": "<workbook><sheets/></workbook>"}),  # a workbook with no sheet
        b"PK\x03\x04 a truncated archive",
        # 5 KB asking python-calamine for a 550 GB grid: the process aborted before the sheet's extent was checked
        workbooks.far_cell("XFD1048576", list(HEADINGS)),
        workbooks.far_cell("I1048576", list(HEADINGS)),  # half a gigabyte and 2 s, for one row
    ],
    ids=["zip", "no-sheet", "truncated", "far-column", "far-row"],
)
async def test_a_zip_that_is_no_workbook_is_refused_at_once_not_queued(
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    token_for: Tokens,
    session_on: Sessions,
    content: bytes,
) -> None:
    set_today(employment_app, date(2026, 10, 9))
    response = await employment.post(
        UPLOAD, files={"file": ("台账.xlsx", content)}, headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "unreadable-sheet"
    assert response.json()["errors"][0]["field"] == "file"
    async with session_on(COMMON) as session:
        assert (await session.scalars(select(LedgerUpload))).all() == []


@pytest.mark.parametrize(
    ("role", "home", "asked"),
    [("village", VILLAGE, OTHER_TOWN_VILLAGE), ("town", TOWN, OTHER_TOWN_VILLAGE), ("town", TOWN, DISTRICT)],
)
async def test_targets_of_a_region_outside_the_callers_are_a_404(
    employment: httpx.AsyncClient, token_for: Tokens, role: str, home: str, asked: str
) -> None:
    # They were a 200 with zeros under that region's name, as if it had been counted.
    response = await employment.get("/targets/2026-11", params={"region_code": asked}, headers=token_for(role, home))
    assert response.status_code == 404, response.text
    own: dict[str, Any] = (
        await employment.get("/targets/2026-11", params={"region_code": home}, headers=token_for(role, home))
    ).json()
    assert own["total"]["region_code"] == home


@pytest.mark.parametrize(("role", "home", "step"), [("village", VILLAGE, "submit"), ("town", TOWN, "confirm")])
async def test_a_month_is_not_submitted_or_confirmed_before_it_begins(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, role: str, home: str, step: str
) -> None:
    # Both were a 200 for 2030-01 on 2026-11-10; a December submitted in November shut the village out of it.
    set_today(employment_app, date(2026, 11, 30))
    headers = token_for(role, home)
    for month in ("2026-12", "2030-01"):
        response = await employment.post(f"/ledger/{month}/villages/{VILLAGE}/{step}", headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["rule"] == "ledger-kept-during-its-month"
        assert response.json()["errors"][0]["field"] == "path.month"
        assert ("不能提前提交" if step == "submit" else "不能提前确认") in response.json()["detail"]
    report = (await employment.get("/ledger/2026-12/status", params={"region_code": VILLAGE}, headers=headers)).json()
    assert report["villages"][0]["submitted_at"] is None and report["villages"][0]["confirmed_at"] is None


JOB = {"status": "务工", "place": "县内"}
TRAINING = {"title": "电工", "kind": "技能培训", "region_code": VILLAGE, "organizer": "区人社局",
            "start_on": "2026-10-01", "end_on": "2026-10-05"}  # fmt: skip


@pytest.mark.parametrize(
    ("path", "body", "field", "stored"),
    [
        ("/ledger/2026-11/entries", {**JOB, "monthly_income": "1E+3"}, "monthly_income", "1000.00"),
        ("/ledger/2026-11/entries", {**JOB, "monthly_income": "3000.5"}, "monthly_income", "3000.50"),
        ("/trainings", {**TRAINING, "hours": "8"}, "hours", "8.0"),
        ("/ledger/2026-11/entries", {**JOB, "monthly_income": "-0"}, "monthly_income", "0.00"),
    ],
)
async def test_a_write_answers_the_amount_a_read_returns(
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    token_for: Tokens,
    session_on: Sessions,
    path: str,
    body: dict[str, Any],
    field: str,
    stored: str,
) -> None:
    # The answer said "1E+3" or "3000.5" while every read said what NUMERIC kept.
    set_today(employment_app, date(2026, 11, 10))
    labourer_id, _ = await _labourer(session_on)
    village = token_for("village", VILLAGE)
    if path.startswith("/ledger"):
        body = {"labourer_id": labourer_id, **body}
    created = await employment.post(path, json=body, headers=village)
    assert created.status_code == 201, created.text
    assert created.json()[field] == stored
    assert (await employment.get(created.headers["Location"], headers=village)).json()[field] == stored


def _dated(labourer_id: int) -> dict[str, tuple[str, dict[str, Any]]]:
    """A body for each kind of record, with the field that takes the day."""
    return {
        "opened_on": ("/positions", {"kind": "公益性岗位", "name": "保洁员", "region_code": VILLAGE,
                                     "employer": "村委会"}),
        "start_on": ("/trainings", {**TRAINING, "end_on": "2026-10-05"}),
        "surveyed_on": ("/training-surveys", {"labourer_id": labourer_id, "surveyed_by": "张", "wants_training": True}),
        "registered_on": ("/job-seekers", {"labourer_id": labourer_id}),
        "granted_on": ("/subsidies", {"labourer_id": labourer_id, "kind": "交通补贴", "period": "2026",
                                      "amount": "500.00", "granted_by": "区人社局"}),
    }  # fmt: skip


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31"])
@pytest.mark.parametrize("field", ["opened_on", "start_on", "surveyed_on", "registered_on", "granted_on"])
async def test_a_day_outside_the_ledgers_years_is_a_422_naming_the_field(
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    token_for: Tokens,
    session_on: Sessions,
    field: str,
    day: str,
) -> None:
    # A survey, position, training, registration or grant dated in year 1 was stored (and counted as the latest).
    set_today(employment_app, date(2026, 11, 10))
    labourer_id, _ = await _labourer(session_on)
    path, body = _dated(labourer_id)[field]
    response = await employment.post(path, json={**body, field: day}, headers=token_for("village", VILLAGE))
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [f"body.{field}"]
    assert (await employment.get(path, headers=token_for("village", VILLAGE))).json()["items"] == []


@pytest.mark.parametrize("uploader", ["village", "town"])
async def test_a_queued_file_does_not_change_a_month_closed_while_it_waited(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions, uploader: str
) -> None:
    # The lock was checked when the file was accepted only: the worker then wrote into a month the village had
    # submitted (or the town confirmed) in between, without the reason a change then needs.
    set_today(employment_app, date(2026, 10, 9))
    labourer_id, id_number = await _labourer(session_on)
    village, town = token_for("village", VILLAGE), token_for("town", TOWN)
    entry = {"labourer_id": labourer_id, "status": "未就业"}
    assert (await employment.post("/ledger/2026-10/entries", json=entry, headers=village)).status_code == 201
    employment_app.state.ctx.settings.rules = RuleSettings(upload_inline_max_rows=1)
    content = _csv([str(labourer_id), id_number, "名", "务工", "省外", "", "", "", ""], [])
    if uploader == "town":
        assert (await employment.post(f"/ledger/2026-10/villages/{VILLAGE}/submit", headers=village)).status_code == 200
    queued = await employment.post(
        UPLOAD, files={"file": ("台账.csv", content)}, headers=village if uploader == "village" else town
    )
    assert queued.status_code == 202, queued.text
    step = "submit" if uploader == "village" else "confirm"
    closed = await employment.post(
        f"/ledger/2026-10/villages/{VILLAGE}/{step}", headers=village if step == "submit" else town
    )
    assert closed.status_code == 200, closed.text
    async with session_on(COMMON) as session:  # what the worker's actor does with the file
        upload = await sheet_queries.upload(session, None, queued.json()["id"], with_content=True)
        assert upload is not None
        with pytest.raises(ClosedWhileQueued):
            await sheets.apply_file(session, upload, RuleSettings())
    assert (await employment.get("/ledger/2026-10/entries", headers=village)).json()["items"][0]["status"] == "未就业"


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/subsidies", "revoked_on", "2026-08-02"),  # was a 201 for a grant that is not revoked
        ("/job-seekers", "closed_on", "2026-10-02"),  # closing is its own step (POST …/close)
        ("/job-seekers", "outcome", "已就业"),
        ("/yulu-participants", "stage", "就业"),  # the stage moves only by milestones
        ("/positions", "version", 7),
    ],
)
async def test_a_field_a_create_does_not_take_is_a_422_not_silently_dropped(
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    token_for: Tokens,
    session_on: Sessions,
    path: str,
    field: str,
    value: object,
) -> None:
    set_today(employment_app, date(2026, 11, 10))
    labourer_id, _ = await _labourer(session_on)
    bodies: dict[str, dict[str, Any]] = {
        "/subsidies": _dated(labourer_id)["granted_on"][1] | {"granted_on": "2026-08-01"},
        "/job-seekers": {"labourer_id": labourer_id, "registered_on": "2026-10-01"},
        "/yulu-participants": {"id_number": "11010519491231002X", "name": "王五", "region_code": VILLAGE,
                               "school": "赣州职业技术学院", "enrolled_on": "2025-09-01"},
        "/positions": _dated(labourer_id)["opened_on"][1] | {"opened_on": "2026-01-01"},
    }  # fmt: skip
    village = token_for("village", VILLAGE)
    response = await employment.post(path, json={**bodies[path], field: value}, headers=village)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [f"body.{field}"]
    assert (await employment.get(path, headers=village)).json()["items"] == []
    assert (await employment.post(path, json=bodies[path], headers=village)).status_code == 201


@pytest.mark.parametrize("on", ["0001-01-01", "1999-12-31", "9999-12-01", "9999-12-31"])
async def test_deadlines_on_a_day_outside_the_ledgers_years_is_a_422(
    employment: httpx.AsyncClient, session_on: Sessions, on: str
) -> None:
    # Month arithmetic around year 1 or 9999 overflowed: a 500 to the worker's service key.
    key = await service_key(session_on, ServiceScope.deadlines)
    response = await employment.get("/deadlines", params={"on": on, "horizon_days": 62}, headers=key)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["query.on"]


@pytest.mark.parametrize(
    ("path", "body", "field", "wrong"),
    [
        ("/job-seekers/1/close", {"closed_on": "昨天", "outcome": "已就业"}, "closed_on", "撤岗日期"),
        ("/attendance/1", {"status": "旷课"}, "status", "就业状态"),
    ],
)
async def test_a_field_two_models_share_is_not_labelled_with_the_others_meaning(
    employment: httpx.AsyncClient, token_for: Tokens, path: str, body: dict[str, Any], field: str, wrong: str
) -> None:
    """A refusal names the field by a label true of every model carrying it: a job seeker has no 撤岗日期 (a position's
    closing) and an attendance no 就业状态 (the ledger's)."""
    village = token_for("village", VILLAGE)
    send = employment.post if path.endswith("/close") else employment.patch
    response = await send(path, json=body, headers={**village, "If-Match": '"1"'})
    assert response.status_code == 422, response.text
    (error,) = [e for e in response.json()["errors"] if e["field"] == f"body.{field}"]
    assert error["label"] and error["label"] != wrong and wrong not in response.json()["detail"], response.text
