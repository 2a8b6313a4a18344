"""The shared XLSX writer: headings in bold, values typed, any number of rows from an iterator, Chinese file names."""

import io
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import unquote

import httpx
import openpyxl
from fastapi import FastAPI

from dixian_shared.xlsx import Column, Sheet, write_workbook, xlsx_response


def test_sheets_hold_headings_and_typed_values() -> None:
    rows = [("潭口镇", Decimal("1234.50"), Decimal("0.4999")), ("潭东镇", Decimal("0.00"), None)]
    handle = write_workbook(
        [Sheet("按乡镇", ["乡镇", Column("已支付（元）", "#,##0.00"), Column("拨付率", "0.00%")], rows)]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(handle.read()))
    sheet = workbook["按乡镇"]
    assert [c.value for c in sheet[1]] == ["乡镇", "已支付（元）", "拨付率"]
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["潭口镇", 1234.5, 0.4999]
    assert sheet["C2"].number_format == "0.00%"
    assert sheet.max_row == 3


async def test_rows_come_from_an_iterator_and_stream_back() -> None:
    def many() -> Iterator[tuple[int, str]]:
        for i in range(20_000):
            yield i, f"项目{i}"

    app = FastAPI()

    @app.get("/export")
    def export() -> object:
        return xlsx_response("2026年6月月调度.xlsx", [Sheet("项目", ["编号", "名称"], many())])

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as client:
        response = await client.get("/export")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert unquote(response.headers["content-disposition"].split("''")[1]) == "2026年6月月调度.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)["项目"]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert (len(values), values[-1]) == (20_000, (19_999, "项目19999"))
