"""Builders of import files (CSV in any accepted encoding, XLSX) shared by the import tests; holds no tests."""

import csv
import io
import itertools
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import httpx
import openpyxl

from dixian_shared import idnumber
from monitoring_api.imports.columns import HEADERS

_serial = itertools.count()


def person(birth: date = date(1980, 1, 1)) -> str:
    """A valid ID number unique within the test run (a county code the other helpers do not use)."""
    n = next(_serial)
    return idnumber.make(f"360703{(birth + timedelta(days=n // 1000)):%Y%m%d}{n % 1000:03d}")


def row(household: str, region: str, **overrides: str) -> dict[str, str]:
    """A member row of the national export; the head of household unless 与户主关系 says otherwise."""
    values = {
        "户编号": household,
        "行政区划代码": region,
        "户主姓名": "张三",
        "户类型": "脱贫户",
        "姓名": "张三",
        "证件号码": person(),
        "与户主关系": "户主",
        "劳动技能": "普通劳动力",
        "健康状况": "健康",
        "在校生状况": "非在校生",
        "文化程度": "初中",
        "是否参加城乡居民基本医疗保险": "是",
        "是否参加城乡居民基本养老保险": "否",
        "是否享受低保": "否",
        "是否特困供养": "否",
        "是否公益性岗位": "否",
        "联系电话": "13800000000",
    }
    values.update(overrides)
    return values


def family(household: str, region: str, size: int = 3, **overrides: str) -> list[dict[str, str]]:
    members = [row(household, region, **overrides)]
    relations = ["配偶", "之子", "之女", "之母"]
    for index in range(1, size):
        values = {**overrides, "姓名": f"成员{index}", "与户主关系": relations[(index - 1) % 4]}
        members.append(row(household, region, **values))
    return members


def csv_bytes(rows: Sequence[dict[str, str]], encoding: str = "utf-8", header: Sequence[str] = HEADERS) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[dict[str, Any]], header: Sequence[str] = HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for values in rows:
        sheet.append([values.get(name) for name in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes,
    *,
    filename: str = "households.csv",
    mode: str = "strict",
    region_code: str | None = None,
) -> httpx.Response:
    data = {"mode": mode} | ({"region_code": region_code} if region_code else {})
    files = {"file": (filename, content, "application/octet-stream")}
    return await client.post("/imports/households", data=data, files=files, headers=headers)
