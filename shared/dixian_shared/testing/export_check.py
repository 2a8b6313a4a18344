"""Reading an export back with python-calamine (not our writer's code) and comparing it with the JSON list; every
service's export tests use it."""

import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from python_calamine import CalamineWorkbook

from dixian_shared.exports import columns, label
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


def assert_same_rows(rows: list[list[Any]], items: list[dict[str, Any]], labels: Mapping[str, str]) -> None:
    """The sheet's header row is Chinese and its data rows are the JSON items, field by field, in order."""
    header, data = rows[0], rows[1:]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(h)) for h in header), header
    assert len(data) == len(items)
    by_label = {label(name, labels): name for name in (items[0] if items else {})}
    for sheet_row, item in zip(data, items, strict=True):
        for heading, value in zip(header, sheet_row, strict=True):
            name = by_label[heading]
            assert same(value, expected_cell(item[name])), (heading, value, item[name])


def labels_for(routers: Iterable[Any], path: str) -> Mapping[str, str]:
    """The labels the export of this path (`/project-library/2026`) heads its columns with."""
    for router in routers:
        for route in router.routes:
            endpoint = getattr(route, "endpoint", None)
            if hasattr(endpoint, "export") and "GET" in route.methods and route.path_regex.match(path):
                return endpoint.export_labels  # type: ignore[union-attr]
    raise AssertionError(f"{path} has no export")


def exports_of(routers: Iterable[Any]) -> list[tuple[str, Any, Mapping[str, str]]]:
    """Each exportable route of a service: its path, (sheet, row model, extra row model) and its own labels."""
    return [
        (route.path, route.endpoint.export, route.endpoint.export_labels)
        for router in routers
        for route in router.routes
        if hasattr(getattr(route, "endpoint", None), "export")
    ]


def assert_chinese_headings(routers: Iterable[Any]) -> set[str]:
    """Every column of every export has a Chinese heading of its own (two columns never share one); the paths."""
    for path, (_sheet, model, extra), labels in exports_of(routers):
        for row_model in filter(None, (model, extra)):
            headings = [label(name, labels) for name in columns(row_model)]
            unlabelled = [h for h in headings if not any("\u4e00" <= ch <= "\u9fff" for ch in h)]
            assert not unlabelled, (path, unlabelled)
            assert len(set(headings)) == len(headings), (path, headings)
    return {path for path, _, _ in exports_of(routers)}


async def assert_export_matches(
    client: httpx.AsyncClient,
    path: str,
    headers: dict[str, str],
    routers: Iterable[Any],
    params: dict[str, Any] | None = None,
    items: str = "items",
) -> list[dict[str, Any]]:
    """The export of a list holds the rows of its JSON list (all pages, as the caller sees them) under the headings
    its route declares; the items."""
    labels = labels_for(routers, path)
    params = params or {}
    found = await json_items(client, path, headers, params, items)
    assert found, f"nothing in {path} to compare"
    rows = (await workbook(client, path, headers, params)).get_sheet_by_index(0).to_python()
    assert_same_rows(rows, [{k: v for k, v in i.items() if k != "version"} for i in found], labels)
    return found
