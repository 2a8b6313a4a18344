"""Reading an export back with python-calamine (not our writer's code) and comparing it with the JSON list."""

import io
import json
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from python_calamine import CalamineWorkbook

from dixian_shared.xlsx import MEDIA_TYPE

SHANGHAI = ZoneInfo("Asia/Shanghai")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T|$)")


async def json_items(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], params: dict[str, Any], items: str = "items"
) -> list[dict[str, Any]]:
    """Every page of a JSON list, two items a page so the export's own paging is compared against real paging."""
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        out += body[items]
        cursor = body.get("next_cursor")
        if not cursor:
            return out


async def workbook(client: httpx.AsyncClient, path: str, headers: dict[str, str], params: dict[str, Any]) -> Any:
    response = await client.get(path, params={**params, "format": "xlsx"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    assert "attachment" in response.headers["content-disposition"]
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content))


def expected_cell(value: Any) -> Any:
    """What a JSON value must read as in the sheet."""
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list):
        if all(isinstance(v, str | int | float) for v in value):
            return "、".join(str(v) for v in value)
        return value
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and ISO_DATE.match(value):
        return date.fromisoformat(value) if len(value) == 10 else _moment(value)
    return value


def _moment(value: str) -> Any:
    moment = datetime.fromisoformat(value)
    return moment.astimezone(SHANGHAI).replace(tzinfo=None) if moment.tzinfo else moment


def same(sheet_value: Any, expected: Any) -> bool:
    if isinstance(expected, list | dict):
        return isinstance(sheet_value, str) and json.loads(sheet_value) == expected
    if isinstance(expected, datetime):
        return (
            isinstance(sheet_value, datetime) and abs((sheet_value - expected).total_seconds()) < 1
        )  # the reader keeps whole seconds
    if isinstance(expected, date) and isinstance(sheet_value, datetime):
        return sheet_value.date() == expected
    if isinstance(expected, str) and isinstance(sheet_value, float):  # money: a string in JSON, a number in Excel
        return float(expected) == sheet_value
    return bool(sheet_value == expected)


def assert_same_rows(rows: list[list[Any]], items: list[dict[str, Any]], labels: dict[str, str]) -> None:
    """The sheet's header row is Chinese and its data rows are the JSON items, field by field, in order."""
    header, data = rows[0], rows[1:]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(h)) for h in header), header
    assert len(data) == len(items)
    by_label = {labels.get(name, name): name for name in (items[0] if items else {})}
    for sheet_row, item in zip(data, items, strict=True):
        for heading, value in zip(header, sheet_row, strict=True):
            name = by_label[heading]
            assert same(value, expected_cell(item[name])), (heading, value, item[name])
