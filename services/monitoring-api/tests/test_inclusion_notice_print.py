"""The printable public notice (公示) as a workbook: the village's title and notice period, the household with masked
names, where to object and the signature line; no private data anywhere in the file."""

import io
import zipfile
from collections.abc import Callable
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from python_calamine import CalamineWorkbook

from conftest import VILLAGE
from monitoring_api.deps import get_today

from .inclusion_steps import Actors, notice, open_case, step, verification
from .test_inclusion_notice import PRIVATE, noticed_case

Tokens = Callable[..., dict[str, str]]


@pytest.fixture(autouse=True)
def clock(monitoring_app: FastAPI) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: date(2024, 5, 14)


async def test_the_printable_notice_has_the_village_layout_and_nothing_private(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    case_id = await noticed_case(monitoring, token_for)
    response = await monitoring.get(
        f"/inclusion-cases/{case_id}/notice", params={"format": "xlsx"}, headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 200, response.text
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("公示").to_python()
    assert rows[0][0] == "谢岗村防返贫监测对象识别纳入公示"
    assert "公示期：2024年5月3日至2024年5月7日" in rows[1][0]
    header = rows[2]
    assert header == ["序号", "户主姓名", "家庭人口", "家庭成员", "监测对象类别", "风险类型", "识别渠道", "评议结果"]
    record = dict(zip(header, rows[3], strict=True))
    assert record["户主姓名"] == "李*英"
    assert record["家庭人口"] == 2
    assert record["家庭成员"] == "李*英（户主）、王*国（配偶）"
    assert record["风险类型"] == "因意外事故"
    assert record["评议结果"] == "拟纳入监测对象(突发严重困难户)"
    footer = [r[0] for r in rows[4:] if r[0]]
    assert any("异议" in line for line in footer)
    assert footer[-2:] == ["谢岗村村民委员会（盖章）", "2024年5月14日"]
    # Nothing private in any part of the package, not only in the cells a reader shows.
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        text = "".join(package.read(name).decode() for name in package.namelist())
    for what, value in PRIVATE.items():
        assert value not in text, what
    assert 'orientation="landscape"' in text


async def test_the_village_notice_board_prints_every_case_on_notice_that_day(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    first = await noticed_case(monitoring, token_for)
    second = (await open_case(monitoring, token_for))["id"]
    for body in (verification(), notice()):
        assert (await step(monitoring, second, body, Actors(token_for).village)).status_code == 201
    village = token_for("village", VILLAGE)
    board = await monitoring.get(
        "/inclusion-notices", params={"region_code": VILLAGE, "on": "2024-05-05"}, headers=village
    )
    assert [n["case_id"] for n in board.json()] == [first, second]
    after = await monitoring.get(
        "/inclusion-notices", params={"region_code": VILLAGE, "on": "2024-05-08"}, headers=village
    )
    assert after.json() == []
    response = await monitoring.get(
        "/inclusion-notices", params={"region_code": VILLAGE, "on": "2024-05-05", "format": "xlsx"}, headers=village
    )
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("公示").to_python()
    assert [r[0] for r in rows[3:5]] == [1, 2] and [r[1] for r in rows[3:5]] == ["李*英", "张*"]
    outside = token_for("village", "360702192200")
    refused = await monitoring.get("/inclusion-notices", params={"region_code": VILLAGE}, headers=outside)
    assert refused.status_code == 404
    nothing = await monitoring.get(
        "/inclusion-notices", params={"region_code": VILLAGE, "on": "2024-06-01", "format": "xlsx"}, headers=village
    )
    assert nothing.status_code == 404 and nothing.json()["title"] == "当日没有公示"
