"""funds-api's working lists of money and what it builds download as XLSX: read back with python-calamine, each
export holds the JSON list's rows (every page, the same filters, as the caller sees them) under Chinese headings."""

from datetime import date
from typing import Any

import httpx
import pytest

from conftest import OTHER_VILLAGE, VILLAGE
from dixian_shared.testing.export_check import (
    assert_chinese_headings,
    assert_export_matches,
    assert_same_rows,
    json_items,
    labels_for,
    workbook,
)
from funds_api.app import ROUTERS

from .conftest import Clock, Staff
from .helpers import allocate, approved_project, create_source, pay
from .test_assets import asset

LAGGING_DAY = date(2026, 7, 1)  # the 30 June milestone (50 %) has passed


def test_every_export_column_has_a_chinese_heading_of_its_own() -> None:
    assert {
        "/fund-sources",
        "/fund-sources/central-industry-share",
        "/projects",
        "/project-library/{year}",
        "/project-changes",
        "/allocations",
        "/payments",
        "/disbursement/projects",
        "/disbursement/by-town",
        "/disbursement/by-department",
        "/disbursement/by-fund-source",
        "/loans",
        "/loans/due",
        "/loans/subsidy",
        "/entities",
        "/farmer-links",
        "/industrial-bases",
        "/purchases",
        "/assets",
        "/assets/ledger",
        "/assets/upkeep/overdue",
        "/asset-surveys",
        "/pv-stations/output",
    } <= assert_chinese_headings(ROUTERS)


@pytest.fixture
async def projects(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> list[dict[str, Any]]:
    """Five approved projects in two villages of one town, each allocated 100,000 and paid 10,000 (lagging), one
    completed with two assets (one surveyed as idle), one with a change requested; the clock on 1 July 2026."""
    source = await create_source(funds, staff.finance)
    other = {"region_code": OTHER_VILLAGE, "village_headers": staff.other_village}
    made = [await approved_project(funds, staff, clock, **(other if n % 2 else {})) for n in range(5)]
    for project in made:
        allocation = await allocate(funds, staff.finance, source, project, "100000.00", clock.today)
        assert (await pay(funds, staff.finance, allocation, "10000.50", clock.today)).status_code == 201
    body = {"completed_on": str(clock.today), "assets": [asset(), asset(name="机耕道", category="公益性")]}
    done = await funds.post(f"/projects/{made[0]['id']}/completion", json=body, headers=staff.town)
    assert done.status_code == 200, done.text
    kept = await funds.get("/assets", params={"project_id": made[0]["id"], "category": "经营性"}, headers=staff.town)
    finding = {"surveyed_on": str(clock.today), "condition": "闲置", "cause": "逆变器故障停运"}
    surveyed = await funds.post(f"/assets/{kept.json()['items'][0]['id']}/surveys", json=finding, headers=staff.town)
    assert surveyed.status_code == 201, surveyed.text
    change = {"after": {"budget": "600000.00"}, "reason": "村民议事会决定扩大种植规模"}
    asked = await funds.post(f"/projects/{made[0]['id']}/changes", json=change, headers=staff.village)
    assert asked.status_code == 201, asked.text
    clock.today = LAGGING_DAY
    return made


LISTS: list[tuple[str, dict[str, Any], str]] = [
    ("/projects", {}, "items"),
    ("/projects", {"status": "已入库", "year": 2026}, "items"),
    ("/project-library/2026", {}, "towns"),
    ("/project-changes", {}, "items"),
    ("/allocations", {}, "items"),
    ("/payments", {}, "items"),
    ("/disbursement/projects", {"lagging": "true"}, "items"),
    ("/assets", {}, "items"),
    ("/assets/ledger", {"level": "村级"}, "lines"),
    ("/assets/upkeep/overdue", {}, "items"),
    ("/asset-surveys", {}, "items"),
    ("/pv-stations/output", {"year": 2026}, "stations"),
]


@pytest.mark.parametrize(("path", "params", "items"), LISTS, ids=[f"{p}{q}" for p, q, _ in LISTS])
async def test_an_export_holds_the_rows_of_the_json_list(
    funds: httpx.AsyncClient, staff: Staff, projects: list[dict[str, Any]], path: str, params: dict, items: str
) -> None:
    for headers in (staff.village, staff.town, staff.district):
        await assert_export_matches(funds, path, headers, ROUTERS, params, items)


async def test_fund_sources_export_with_money_as_numbers(
    funds: httpx.AsyncClient, staff: Staff, projects: list[dict[str, Any]]
) -> None:
    """Fund sources are the district's: what reaches 产业 projects of them is the district's list too."""
    share = {"year": 2026}
    industry = await assert_export_matches(
        funds, "/fund-sources/central-industry-share", staff.district, ROUTERS, share, "projects"
    )
    assert len(industry) == len(projects)
    found = await assert_export_matches(funds, "/fund-sources", staff.district, ROUTERS)
    rows = (await workbook(funds, "/fund-sources", staff.district, {})).get_sheet_by_index(0).to_python()
    header = rows[0]
    assert rows[1][header.index("已下达金额")] == float(found[0]["allocated"]) == 500000.0
    assert rows[1][header.index("资金级次")] == "中央"


async def test_a_rollup_exports_its_rows_and_the_district_total(
    funds: httpx.AsyncClient, staff: Staff, projects: list[dict[str, Any]]
) -> None:
    for path in ("/disbursement/by-town", "/disbursement/by-department", "/disbursement/by-fund-source"):
        rollup = (await funds.get(path, headers=staff.district)).json()
        assert rollup["rows"]
        rows = (await workbook(funds, path, staff.district, {})).get_sheet_by_index(0).to_python()
        assert_same_rows(rows, [*rollup["rows"], rollup["total"]], labels_for(ROUTERS, path))


async def test_a_villages_export_holds_its_own_village_only(
    funds: httpx.AsyncClient, staff: Staff, projects: list[dict[str, Any]]
) -> None:
    for path in ("/projects", "/payments", "/disbursement/projects", "/assets"):
        town_rows = (await workbook(funds, path, staff.town, {})).get_sheet_by_index(0).to_python()
        village_rows = (await workbook(funds, path, staff.village, {})).get_sheet_by_index(0).to_python()
        column = village_rows[0].index("区划代码")
        assert {r[column] for r in town_rows[1:]} >= {VILLAGE, OTHER_VILLAGE} or path == "/assets"
        assert village_rows[1:] and {r[column] for r in village_rows[1:]} == {VILLAGE}
        assert len(village_rows) - 1 == len(await json_items(funds, path, staff.village, {}))
    other = (await workbook(funds, "/projects", staff.other_village, {})).get_sheet_by_index(0).to_python()
    assert {r[other[0].index("区划代码")] for r in other[1:]} == {OTHER_VILLAGE}
