"""The XLSX import template: the import's own columns, a drop-down list for every coded column drawn from the same
vocabulary the import checks, a notes sheet; a template filled from its lists imports cleanly."""

import io
from collections.abc import Callable

import httpx
import openpyxl

from conftest import VILLAGE
from monitoring_api.households.enums import Category, Relation
from monitoring_api.imports.columns import COLUMNS, HEADERS

from .test_import_files import family, upload

Tokens = Callable[..., dict[str, str]]


async def _template(monitoring: httpx.AsyncClient, token_for: Tokens) -> openpyxl.Workbook:
    response = await monitoring.get("/imports/template.xlsx", headers=token_for("village", VILLAGE))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _list_values(book: openpyxl.Workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.split("!")
    start, end = cells.replace("$", "").split(":")
    return [c.value for (c,) in book[sheet_name.strip("'")][f"{start}:{end}"]]


async def test_the_template_has_the_columns_lists_and_notes(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    book = await _template(monitoring, token_for)
    assert book.sheetnames == ["农户成员", "代码表", "填写说明"]
    sheet = book["农户成员"]
    assert [c.value for c in sheet[1]] == list(HEADERS)
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        lists[sheet[f"{column}1"].value] = _list_values(book, validation.formula1)
    assert lists["户类型"] == [c.value for c in Category]
    assert lists["与户主关系"] == [r.value for r in Relation]
    assert lists["是否享受低保"] == ["是", "否"]
    assert set(lists) == {"户类型", "与户主关系", "劳动技能", "健康状况", "在校生状况", "文化程度"} | {
        h for h in HEADERS if h.startswith("是否")
    }
    assert book["代码表"].sheet_state == "hidden"
    notes = {r[0].value: r for r in book["填写说明"].iter_rows(min_row=2) if r[0].value in HEADERS}
    assert set(notes) == set(HEADERS)
    for column in COLUMNS:
        assert notes[column.header][1].value == ("必填" if column.required else "选填")
        assert notes[column.header][2].value


async def test_a_template_filled_from_its_lists_imports(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    book = await _template(monitoring, token_for)
    sheet = book["农户成员"]
    for values in family("T-1", VILLAGE, 3):
        sheet.append([values.get(name) for name in HEADERS])
    out = io.BytesIO()
    book.save(out)
    response = await upload(monitoring, token_for("village", VILLAGE), out.getvalue(), filename="模板.xlsx")
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["file_format"], report["imported_households"], report["imported_members"]) == ("xlsx", 1, 3)
