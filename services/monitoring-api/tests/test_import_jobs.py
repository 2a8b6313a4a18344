"""A household import above imports.job_rows runs as a worker job: 202 with the job's Location, progress on the job
resource, the same end result as an import in the request; refusals keep their problem and a marked workbook."""

import io
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import openpyxl
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from conftest import OTHER_TOWN_VILLAGE, VILLAGE
from monitoring_api.households.models import Household, Member
from monitoring_api.imports import jobs, service
from monitoring_api.models import COMMON

from .test_import_files import csv_bytes, family, upload, xlsx_bytes
from .test_measure_helpers import Sessions

Tokens = Callable[..., dict[str, str]]


@pytest.fixture
def small_jobs(monitoring_app: FastAPI) -> Iterator[None]:
    settings = monitoring_app.state.ctx.settings
    before = settings.imports.job_rows
    settings.imports.job_rows = 5
    yield
    settings.imports.job_rows = before


def _file(prefix: str, households: int = 4) -> list[dict[str, str]]:
    return [row for n in range(households) for row in family(f"{prefix}-{n}", VILLAGE, 3)]


async def _registry(session_on: Sessions, prefix: str) -> list[tuple[Any, ...]]:
    """What an import left in the registry, without its ids: per household its facts and its members' facts."""
    async with session_on(COMMON) as session:
        stmt = (
            select(Household.household_number, Household.category, Household.head_name, Member.name, Member.relation)
            .join(Member, Member.household_id == Household.id)
            .where(Household.household_number.like(f"{prefix}-%"))
            .order_by(Household.household_number, Member.id)
        )
        return [(number.split("-", 1)[1], *rest) for number, *rest in (await session.execute(stmt)).all()]


async def test_a_large_import_runs_as_a_job_with_the_same_result_as_in_the_request(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
    monitoring_app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    village = token_for("village", VILLAGE)
    inline = await upload(monitoring, village, csv_bytes(_file("SMALL")))
    assert inline.status_code == 200, inline.text

    monitoring_app.state.ctx.settings.imports.job_rows = 5
    try:
        queued = await upload(monitoring, village, xlsx_bytes(_file("JOB")), filename="大文件.xlsx")
    finally:
        monitoring_app.state.ctx.settings.imports.job_rows = 3000
    assert queued.status_code == 202, queued.text
    job = queued.json()
    assert queued.headers["Location"] == f"/import-jobs/{job['id']}"
    assert (job["state"], job["rows_estimated"], job["rows_read"]) == ("排队中", 12, 0)
    assert await _registry(session_on, "JOB") == []  # nothing imported before the worker runs it

    seen: list[int] = []
    monkeypatch.setattr(service, "BATCH_ROWS", 5)
    real_set = jobs._set

    async def watched(sessions: Any, job_id: int, **values: Any) -> None:
        await real_set(sessions, job_id, **values)
        if "rows_read" in values:
            # What GET /import-jobs/{id} shows at that moment, while the import is still under way.
            seen.append((await monitoring.get(f"/import-jobs/{job_id}", headers=village)).json()["rows_read"])

    monkeypatch.setattr(jobs, "_set", watched)
    assert await jobs.run(lambda: session_on(COMMON), job["id"]) == "已完成"
    assert seen == [5, 10, 12]
    assert await jobs.run(lambda: session_on(COMMON), job["id"]) is None  # a redelivery does nothing

    done = (await monitoring.get(f"/import-jobs/{job['id']}", headers=village)).json()
    assert (done["state"], done["rows_read"], done["rows_accepted"], done["rows_refused"]) == ("已完成", 12, 12, 0)
    report, small = done["report"], inline.json()
    for key in ("rows", "households", "imported_households", "imported_members", "rejected_rows", "errors"):
        assert report[key] == small[key], key
    assert await _registry(session_on, "JOB") == await _registry(session_on, "SMALL")
    assert len(await _registry(session_on, "JOB")) == 12


async def test_a_refused_job_keeps_its_problem_and_marks_the_bad_cells(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, small_jobs: None
) -> None:
    rows = _file("BAD")
    rows[4]["证件号码"] = "110105194912310021"  # wrong check character, on spreadsheet row 6
    rows[7]["与户主关系"] = "邻居"  # row 9
    village = token_for("village", VILLAGE)
    job = (await upload(monitoring, village, xlsx_bytes(rows), filename="有错.xlsx")).json()
    assert await jobs.run(lambda: session_on(COMMON), job["id"]) == "已拒绝"
    refused = (await monitoring.get(f"/import-jobs/{job['id']}", headers=village)).json()
    assert refused["state"] == "已拒绝"
    assert refused["problem"]["code"] == "import-rejected"
    assert refused["problem"]["title"] == "导入被拒绝"
    assert refused["rows_refused"] == 2
    assert await _registry(session_on, "BAD") == []

    response = await monitoring.get(f"/import-jobs/{job['id']}/errors.xlsx", headers=village)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    bad_id = sheet.cell(row=6, column=header.index("证件号码") + 1)
    bad_relation = sheet.cell(row=9, column=header.index("与户主关系") + 1)
    for cell in (bad_id, bad_relation):
        assert cell.fill.fgColor.rgb == "FFFFC7CE"
        assert cell.comment is not None
    assert "证件号码" in bad_id.comment.text
    assert bad_id.value == "110105194912310021"  # the file as uploaded
    marked = {(c.row, c.column) for row in sheet.iter_rows() for c in row if c.fill.fgColor.rgb == "FFFFC7CE"}
    assert marked == {(bad_id.row, bad_id.column), (bad_relation.row, bad_relation.column)}
    assert [r[0] for r in book["错误清单"].iter_rows(min_row=2, values_only=True)] == [6, 9]
    # Another village neither reads the job nor its file.
    other = token_for("village", OTHER_TOWN_VILLAGE)
    assert (await monitoring.get(f"/import-jobs/{job['id']}", headers=other)).status_code == 404
    assert (await monitoring.get(f"/import-jobs/{job['id']}/errors.xlsx", headers=other)).status_code == 404


async def test_a_file_is_checked_without_importing_it(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    rows = _file("CHK", 2)
    rows[2]["是否享受低保"] = "也许"  # row 4
    files = {"file": ("检查.csv", csv_bytes(rows, "gb18030"), "text/csv")}
    response = await monitoring.post(
        "/imports/households/check", data={"mode": "strict"}, files=files, headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 200, response.text
    assert response.headers["X-Rejected-Rows"] == "1"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=4, column=header.index("是否享受低保") + 1)
    assert cell.value == "也许" and cell.comment is not None
    assert sheet.cell(row=2, column=header.index("姓名") + 1).value == "张三"  # GB18030 read back as text
    async with session_on(COMMON) as session:
        assert await session.scalar(select(func.count()).select_from(Household)) == 0
