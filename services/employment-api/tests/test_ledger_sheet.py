"""The ledger as a spreadsheet: the template read back by independent readers, uploads applied whole or not at all,
CSV in UTF-8 and GB18030, the error report with marked cells, large uploads as a job."""

import csv
import io
from datetime import date

import httpx
import openpyxl
from emp_helpers import Sessions, Tokens, labourers, registry, set_today
from fastapi import FastAPI
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from conftest import OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.contracts import EMPLOYMENT_LEDGER_UPLOAD
from employment_api.models import COMMON as EMPLOYMENT
from employment_api.rules import RuleSettings
from employment_api.sheets import repository as sheet_queries
from employment_api.sheets import service as sheets
from employment_api.sheets.columns import HEADINGS

__all__ = ["registry"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _template(employment: httpx.AsyncClient, headers: dict[str, str], month: str = "2026-10") -> bytes:
    response = await employment.get(f"/ledger/{month}/villages/{VILLAGE}/template.xlsx", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    return response.content


def _fill(content: bytes, values: dict[int, list[object]]) -> bytes:
    """Type into the template as a person would: columns D onwards of the rows given (sheet row numbers)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    for row, cells in values.items():
        for offset, value in enumerate(cells):
            sheet.cell(row=row, column=4 + offset).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def _upload(employment: httpx.AsyncClient, headers: dict[str, str], data: bytes, name: str = "台账.xlsx", **form):  # type: ignore[no-untyped-def]
    return await employment.post(
        f"/ledger/2026-10/villages/{VILLAGE}/upload", files={"file": (name, data)}, data=form, headers=headers
    )


async def test_the_template_opens_in_independent_readers_and_is_filled_from_last_month(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    first, second = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 2)
    town = token_for("town", TOWN)
    set_today(employment_app, date(2026, 9, 9))
    last = {
        "labourer_id": first,
        "status": "务工",
        "place": "省外",
        "employer": "深圳某厂",
        "monthly_income": "5200.00",
    }
    assert (await employment.post("/ledger/2026-09/entries", json=last, headers=town)).status_code == 201
    content = await _template(employment, token_for("village", VILLAGE))

    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet.title == "就业台账"
    assert [cell.value for cell in sheet[1]] == list(HEADINGS)
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert "务工" in validations["D2"] and "未就业" in validations["D2"]
    assert validations["E2"] == '"县内,县外省内,省外"'
    assert "亲友介绍" in validations["I2"]

    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0] == list(HEADINGS)
    by_id = {int(row[0]): row for row in rows[1:]}
    assert set(by_id) == {first, second}
    assert by_id[first][3:8] == ["务工", "省外", "深圳某厂", "", 5200.0]  # last month's job, to confirm or change
    assert by_id[second][3:] == [""] * 6


async def test_a_filled_template_round_trips_and_a_second_upload_changes_nothing(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    first, second = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 2)
    village = token_for("village", VILLAGE)
    set_today(employment_app, date(2026, 10, 9))
    content = await _template(employment, village)
    filled = _fill(content, {2: ["公益性岗位", "县内", "村保洁", 1, 800.5, "政府组织"], 3: ["未就业"]})
    applied = await _upload(employment, village, filled)
    assert applied.status_code == 201, applied.text
    body = applied.json()
    assert (body["state"], body["rows_read"], body["accepted"], body["refused"], body["inserted"]) == (
        "已完成",
        2,
        2,
        0,
        2,
    )
    assert applied.headers["Location"] == f"/ledger/uploads/{body['id']}"
    entries = {
        e["labourer_id"]: e for e in (await employment.get("/ledger/2026-10/entries", headers=village)).json()["items"]
    }
    assert (entries[first]["status"], entries[first]["monthly_income"], entries[first]["months_worked"]) == (
        "公益性岗位",
        "800.50",
        1,
    )
    assert entries[second]["status"] == "未就业" and entries[second]["place"] is None
    # Downloaded again, the template shows what was entered; uploaded as is, it changes nothing.
    again = await _upload(employment, village, await _template(employment, village))
    assert (again.json()["state"], again.json()["inserted"], again.json()["updated"]) == ("已完成", 0, 0)
    changed = _fill(await _template(employment, village), {3: ["灵活就业", "县内"]})
    assert (await _upload(employment, village, changed)).json()["updated"] == 1
    async with session_on(EMPLOYMENT) as session:
        audit = EMPLOYMENT.audit_log
        uploads = (
            (
                await session.execute(
                    select(audit.c.changes)
                    .where(audit.c.entity == "ledger_entry", audit.c.action == "upload")
                    .order_by(audit.c.id)
                )
            )
            .scalars()
            .all()
        )
    assert [(u["inserted"], u["updated"]) for u in uploads] == [(2, 0), (0, 0), (0, 1)]


async def test_a_file_with_bad_rows_changes_nothing_and_its_report_marks_the_cells(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    first, *_ = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 3)
    (stranger,) = await labourers(monitoring, registry, token_for, session_on, OTHER_VILLAGE, 1)
    village = token_for("village", VILLAGE)
    set_today(employment_app, date(2026, 10, 9))
    content = _fill(
        await _template(employment, village),
        {2: ["打零工"], 3: ["未就业", "省外"], 4: ["务工", "县内", None, None, -5]},
    )
    refused = await _upload(employment, village, content)
    assert refused.status_code == 201
    body = refused.json()
    assert (body["state"], body["accepted"], body["refused"], body["inserted"]) == ("已拒绝", 0, 3, 0)
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(2, "status"), (3, "place"), (4, "monthly_income")}
    assert (await employment.get("/ledger/2026-10/entries", headers=village)).json()["items"] == []

    report = await employment.get(body["error_report"], headers=village)
    assert report.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    for cell in ("D2", "E3", "H4"):
        assert sheet[cell].fill.fgColor.rgb == "FFFFC7CE" and sheet[cell].comment is not None
    assert "下拉列表" in sheet["D2"].comment.text
    assert sheet["D5"].comment is None  # no row 5

    # Database checks: a labourer of another village, an ID number that is not theirs.
    rows = [
        list(HEADINGS),
        [str(stranger), "360702198001010011", "某", "未就业"],
        [str(first), "36070219800101999X", "某", "未就业"],
    ]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    refused = await _upload(employment, village, text.getvalue().encode(), "台账.csv")
    assert {(e["row"], e["column"]) for e in refused.json()["errors"]} == {(2, "labourer_id"), (3, "id_number")}
    assert (await employment.get("/ledger/2026-10/entries", headers=village)).json()["items"] == []


async def test_csv_in_utf8_and_gb18030(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    (only,) = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 1)
    village = token_for("village", VILLAGE)
    set_today(employment_app, date(2026, 10, 9))
    labourer = (await employment.get(f"/labourers/{only}", headers=village)).json()
    for encoding, status in (("utf-8-sig", "帮扶车间"), ("gb18030", "自主创业"), ("utf-8", "灵活就业")):
        text = io.StringIO()
        csv.writer(text).writerows(
            [list(HEADINGS), [only, labourer["id_number"], "王五", status, "县内", "", "", "1,200.00", ""]]
        )
        done = await _upload(employment, village, text.getvalue().encode(encoding), "台账.csv")
        assert done.json()["state"] == "已完成", done.text
        entry = (await employment.get("/ledger/2026-10/entries", headers=village)).json()["items"][0]
        assert (entry["status"], entry["monthly_income"]) == (status, "1200.00")
    wrong = await _upload(employment, village, "姓名,状态\n王五,务工\n".encode(), "x.csv")
    assert wrong.status_code == 422 and wrong.json()["code"] == "sheet-headings"
    assert wrong.json()["errors"][0]["message"].startswith("表头应为：")
    assert (await _upload(employment, village, b"\xd0\xcf\x11\xe0 old xls", "x.xls")).status_code == 422


async def test_uploads_follow_the_lock_and_the_region(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    await labourers(monitoring, registry, token_for, session_on, VILLAGE, 1)
    village = token_for("village", VILLAGE)
    set_today(employment_app, date(2026, 10, 9))
    content = _fill(await _template(employment, village), {2: ["未就业"]})
    set_today(employment_app, date(2026, 10, 16))  # the 15th was the village's last day
    locked = await _upload(employment, village, content)
    assert locked.status_code == 422 and locked.json()["rule"] == "ledger-locked-after-deadline"
    late = await _upload(employment, village, content, late_reason="补报")
    assert late.json()["state"] == "已完成" and late.json()["late"] is True
    entry = (await employment.get("/ledger/2026-10/entries", headers=village)).json()["items"][0]
    assert (entry["late"], entry["late_reason"]) == (True, "补报")
    other = token_for("village", OTHER_VILLAGE)
    assert (await employment.get(f"/ledger/2026-10/villages/{VILLAGE}/template.xlsx", headers=other)).status_code == 404
    assert (await _upload(employment, other, content)).status_code == 404
    assert (await employment.get(f"/ledger/uploads/{late.json()['id']}", headers=other)).status_code == 404


async def test_a_large_upload_is_a_job_with_progress(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    await labourers(monitoring, registry, token_for, session_on, VILLAGE, 3)
    employment_app.state.ctx.settings.rules = RuleSettings(upload_inline_max_rows=2)
    village = token_for("village", VILLAGE)
    set_today(employment_app, date(2026, 10, 9))
    content = _fill(await _template(employment, village), {2: ["未就业"], 3: ["未就业"], 4: ["务工", "省外"]})
    queued = await _upload(employment, village, content)
    assert queued.status_code == 202, queued.text
    assert (queued.json()["state"], queued.json()["rows_read"]) == ("排队中", 3)
    location = queued.headers["Location"]
    async with session_on(EMPLOYMENT) as session:
        outbox = EMPLOYMENT.outbox
        jobs = (
            (
                await session.execute(
                    select(outbox.c.payload).where(outbox.c.actor_name == EMPLOYMENT_LEDGER_UPLOAD.name)
                )
            )
            .scalars()
            .all()
        )
        assert jobs == [{"upload_id": queued.json()["id"]}]
        # What the worker does (tasks.apply_ledger_upload), on the test's connection.
        upload = await sheet_queries.upload(session, None, queued.json()["id"], with_content=True)
        assert upload is not None
        await sheets.apply_file(session, upload, RuleSettings())
        await session.commit()
    done = (await employment.get(location, headers=village)).json()
    assert (done["state"], done["accepted"], done["inserted"]) == ("已完成", 3, 3)
