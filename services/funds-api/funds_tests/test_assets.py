"""Project assets: formed by a project's completion, kept on ledgers, looked after on each level's cadence; missing
upkeep is one definition behind the overdue list and GET /deadlines."""

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_VILLAGE, TOWN, VILLAGE
from funds_api.assets.models import Asset, AssetUpkeep
from funds_api.deps import get_rules
from funds_api.models import COMMON
from funds_api.rules import AssetRules, FundsRules

from .conftest import Clock, Staff
from .funds_support import Sessions, count, service_key
from .helpers import approved_project


def asset(**fields: Any) -> dict[str, Any]:
    return {
        "name": "谢岗村光伏电站",
        "category": "经营性",
        "kind": "光伏电站",
        "owner_type": "集体",
        "owner": "谢岗村股份经济合作社",
        "value": "300000.00",
        "ledger_level": "村级",
        "region_code": VILLAGE,
        "location": "谢岗村村委会屋顶",
        **fields,
    }


async def completed(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, assets: list[dict[str, Any]], by_district: bool = False
) -> dict[str, Any]:
    project = await approved_project(funds, staff, clock)  # approved on 2026-03-09
    clock.today = date(2026, 3, 12)
    body = {"completed_on": "2026-03-10", "assets": assets}
    headers = staff.district if by_district else staff.town
    response = await funds.post(f"/projects/{project['id']}/completion", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return project


async def test_a_projects_completion_forms_its_assets_and_a_bad_asset_refuses_both(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, session_on: Sessions
) -> None:
    clock.today = date(2026, 3, 2)
    project = await approved_project(funds, staff, clock)
    wrong_place = {"completed_on": "2026-03-10", "assets": [asset(region_code=TOWN)]}
    clock.today = date(2026, 3, 12)
    refused = await funds.post(f"/projects/{project['id']}/completion", json=wrong_place, headers=staff.town)
    assert refused.status_code == 422 and refused.json()["rule"] == "asset-ledger-place"
    assert await count(session_on(COMMON), Asset) == 0
    still = (await funds.get(f"/projects/{project['id']}", headers=staff.town)).json()
    assert still["completed_on"] is None

    cold_store = asset(
        name="镇级冷库", category="公益性", kind="厂房仓储", owner_type="国有", owner="潭口镇人民政府",
        ledger_level="乡镇", region_code=TOWN, value="80000",
    )  # fmt: skip
    body = {"completed_on": "2026-03-10", "assets": [asset(), cold_store]}
    done = await funds.post(f"/projects/{project['id']}/completion", json=body, headers=staff.town)
    assert done.status_code == 200, done.text
    formed = (await funds.get("/assets", params={"project_id": project["id"]}, headers=staff.district)).json()["items"]
    assert [(a["name"], a["formed_on"], a["ledger_level"]) for a in formed] == [
        ("谢岗村光伏电站", "2026-03-10", "村级"),
        ("镇级冷库", "2026-03-10", "乡镇"),
    ]
    village_view = (await funds.get("/assets", headers=staff.village)).json()["items"]
    assert [a["name"] for a in village_view] == ["谢岗村光伏电站"]
    assert (await funds.get(f"/assets/{formed[0]['id']}", headers=staff.other_village)).status_code == 404


async def test_an_asset_needs_a_completed_project(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, session_on: Sessions
) -> None:
    project = await approved_project(funds, staff, clock)
    refused = await funds.post("/assets", json=asset(project_id=project["id"]), headers=staff.district)
    assert refused.status_code == 422 and refused.json()["rule"] == "asset-from-completed-project"
    assert await count(session_on(COMMON), Asset) == 0
    await funds.post(f"/projects/{project['id']}/completion", json={"completed_on": "2026-03-09"}, headers=staff.town)
    early = await funds.post(
        "/assets", json=asset(project_id=project["id"], formed_on="2026-03-08"), headers=staff.district
    )
    assert early.json()["rule"] == "asset-from-completed-project"
    later = await funds.post("/assets", json=asset(project_id=project["id"]), headers=staff.district)
    assert later.status_code == 201 and later.json()["formed_on"] == "2026-03-09"


async def test_the_ledgers_of_each_level_total_assets_in_service(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    await completed(
        funds,
        staff,
        clock,
        [
            asset(),
            asset(name="道路", category="公益性", kind="道路水利", value="120000.50"),
            asset(name="部门设备", ledger_level="部门", department="区农业农村局", region_code=DISTRICT, value="5000"),
        ],
        by_district=True,  # a town may not put an asset on the district's ledgers
    )
    village = (await funds.get("/assets/ledger", params={"level": "村级"}, headers=staff.district)).json()
    assert [(line["keeper"], line["category"], line["assets"]) for line in village["lines"]] == [
        (VILLAGE, "公益性", 1),
        (VILLAGE, "经营性", 1),
    ]
    assert (village["assets"], Decimal(village["value"])) == (2, Decimal("420000.50"))
    department = (await funds.get("/assets/ledger", params={"level": "部门"}, headers=staff.district)).json()
    assert [(line["keeper"], line["assets"]) for line in department["lines"]] == [("区农业农村局", 1)]
    elsewhere = (await funds.get("/assets/ledger", params={"level": "村级"}, headers=staff.other_village)).json()
    assert elsewhere["assets"] == 0


def use_rules(app: FastAPI, **asset_rules: Any) -> None:
    rules = FundsRules(assets=AssetRules(**asset_rules))
    app.dependency_overrides[get_rules] = lambda: rules


async def test_missing_upkeep_follows_each_levels_cadence_and_reaches_get_deadlines(
    funds: httpx.AsyncClient, funds_app: FastAPI, staff: Staff, clock: Clock, session_on: Sessions
) -> None:
    await completed(funds, staff, clock, [asset()])
    asset_id = (await funds.get("/assets", headers=staff.village)).json()["items"][0]["id"]

    def overdue(on: str) -> Any:
        return funds.get("/assets/upkeep/overdue", params={"on": on}, headers=staff.district)

    # On 1 April: March's village upkeep and Q1's town inspection are missing; the district's half-year (H2 2025)
    # ended before the asset was formed.
    april = (await overdue("2026-04-01")).json()
    missing = {(i["level"], i["period_end"]) for i in april["items"]}
    assert missing == {("村级管护", "2026-03-31"), ("乡镇巡查", "2026-03-31")}
    assert april["counts"] == {"村级管护": 1, "乡镇巡查": 1, "区级督导": 0}
    assert (await overdue("2026-03-31")).json()["items"] == []  # March has not ended yet

    upkeep = {"level": "村级管护", "done_on": "2026-03-20", "findings": "运行正常"}
    clock.today = date(2026, 4, 1)
    wrong = await funds.post(f"/assets/{asset_id}/upkeep", json=upkeep, headers=staff.town)
    assert wrong.status_code == 422 and wrong.json()["rule"] == "upkeep-by-its-level"
    assert await count(session_on(COMMON), AssetUpkeep) == 0
    done = await funds.post(f"/assets/{asset_id}/upkeep", json=upkeep, headers=staff.village)
    assert done.status_code == 201, done.text
    assert [i["level"] for i in (await overdue("2026-04-01")).json()["items"]] == ["乡镇巡查"]
    may = {(i["level"], i["period_end"]) for i in (await overdue("2026-05-01")).json()["items"]}
    assert may == {("村级管护", "2026-04-30"), ("乡镇巡查", "2026-03-31")}  # April's upkeep now; Q1 still

    use_rules(funds_app, village_upkeep_months=2, town_inspection_months=6)
    assert (await overdue("2026-04-01")).json()["items"] == []  # Mar–Apr and Jan–Jun have not ended

    funds_app.dependency_overrides.pop(get_rules)
    key = {"X-API-Key": await service_key(session_on, "deadlines")}
    report = (await funds.get("/deadlines", params={"on": "2026-04-10", "horizon_days": 30}, headers=key)).json()
    upkeep_items = [i for i in report["items"] if i["kind"].startswith("funds.asset_upkeep")]
    assert [(i["kind"], i["region_code"], i["state"], i["nominal_deadline"]) for i in upkeep_items] == [
        ("funds.asset_upkeep.town", TOWN, "overdue", "2026-03-31"),
        ("funds.asset_upkeep.village", VILLAGE, "upcoming", "2026-04-30"),
    ]
    other = await funds.get("/deadlines", params={"on": "2026-04-10", "region_code": OTHER_VILLAGE}, headers=key)
    assert [i for i in other.json()["items"] if i["kind"].startswith("funds.asset_upkeep")] == []
