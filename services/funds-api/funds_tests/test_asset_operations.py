"""The survey of idle or damaged operating assets (四个一批), asset income with the share reaching special groups,
photovoltaic output, and the asset overview built on the same missing-upkeep definition as the overdue list."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx

from funds_api.assets.models import AssetSurvey, IncomeDistribution, PvOutput
from funds_api.models import COMMON

from .conftest import Clock, Staff
from .funds_support import Sessions, count
from .test_assets import asset, completed


async def assets_of(funds: httpx.AsyncClient, staff: Staff, clock: Clock, *bodies: dict[str, Any]) -> list[int]:
    project = await completed(funds, staff, clock, list(bodies))
    clock.today = date(2026, 6, 30)
    listed = await funds.get("/assets", params={"project_id": project["id"]}, headers=staff.district)
    return [a["id"] for a in listed.json()["items"]]


async def test_idle_operating_assets_are_surveyed_and_handled_by_the_four_batches(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, session_on: Sessions
) -> None:
    operating, road = await assets_of(funds, staff, clock, asset(), asset(name="道路", category="公益性"))
    finding = {"surveyed_on": "2026-05-10", "condition": "闲置", "cause": "逆变器故障停运"}
    refused = await funds.post(f"/assets/{road}/surveys", json=finding, headers=staff.village)
    assert refused.status_code == 422 and refused.json()["rule"] == "survey-operating-assets"
    assert await count(session_on(COMMON), AssetSurvey) == 0

    created = await funds.post(f"/assets/{operating}/surveys", json=finding, headers=staff.village)
    assert created.status_code == 201 and created.json()["state"] == "待处置"
    path = f"/asset-surveys/{created.json()['id']}/handling"
    plan = {"handling": "盘活一批", "plan": "更换逆变器后恢复发电", "state": "处置中"}
    assert (await funds.post(path, json=plan, headers=staff.village)).status_code == 428
    unfinished = {**plan, "state": "已处置"}
    assert (await funds.post(path, json=unfinished, headers={**staff.village, "If-Match": '"1"'})).status_code == 422
    handling = await funds.post(path, json=plan, headers={**staff.village, "If-Match": '"1"'})
    assert handling.status_code == 200 and handling.json()["handling"] == "盘活一批"
    done = {**plan, "state": "已处置", "handled_on": "2026-06-20", "outcome": "6月恢复并网, 月发电约 9000 千瓦时"}
    finished = await funds.post(path, json=done, headers={**staff.village, "If-Match": '"2"'})
    assert finished.status_code == 200 and finished.json()["state"] == "已处置"
    again = await funds.post(path, json=done, headers={**staff.village, "If-Match": '"3"'})
    assert again.json()["rule"] == "survey-handled-once"
    open_findings = (await funds.get("/asset-surveys", params={"state": "待处置"}, headers=staff.town)).json()
    assert open_findings["items"] == []
    assert (await funds.get(f"/asset-surveys/{created.json()['id']}", headers=staff.other_village)).status_code == 404


async def test_asset_income_is_distributed_within_itself_and_the_special_group_share_is_reported(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, session_on: Sessions
) -> None:
    (station,) = await assets_of(funds, staff, clock, asset())
    income = await funds.post(
        f"/assets/{station}/income",
        json={"received_on": "2026-06-01", "amount": "30000", "source": "发电收益"},
        headers=staff.village,
    )
    assert income.status_code == 201, income.text
    path = f"/asset-income/{income.json()['id']}/distributions"
    lines = [("特殊群体", "公益岗位工资", "10000"), ("脱贫户", "奖补", "15000"), ("村集体", "小型公益事业", "4999.99")]
    for group, purpose, amount in lines:
        body = {"distributed_on": "2026-06-10", "group": group, "purpose": purpose, "households": 3, "amount": amount}
        assert (await funds.post(path, json=body, headers=staff.village)).status_code == 201
    over = {"distributed_on": "2026-06-10", "group": "其他", "purpose": "结余", "amount": "0.02"}
    refused = await funds.post(path, json=over, headers=staff.village)
    assert refused.status_code == 422 and refused.json()["rule"] == "distribution-within-income"
    assert await count(session_on(COMMON), IncomeDistribution) == 3

    summary = (await funds.get("/asset-income/summary", params={"year": 2026}, headers=staff.district)).json()
    distributed = Decimal("29999.99")
    assert (Decimal(summary["income"]), Decimal(summary["distributed"])) == (Decimal(30000), distributed)
    expected = (Decimal(10000) / distributed).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    assert Decimal(summary["special_share"]) == expected == Decimal("0.3333")
    nothing = (await funds.get("/asset-income/summary", params={"year": 2025}, headers=staff.district)).json()
    assert nothing["special_share"] is None


async def test_pv_stations_report_monthly_output_once_per_month(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, session_on: Sessions
) -> None:
    station, road = await assets_of(
        funds, staff, clock, asset(), asset(name="道路", category="公益性", kind="道路水利")
    )
    march = {"month": "2026-03", "output_kwh": "8650.5", "income": "3460.20"}
    assert (await funds.post(f"/assets/{road}/pv-output", json=march, headers=staff.village)).json()["rule"] == (
        "pv-station-only"
    )
    assert (await funds.post(f"/assets/{station}/pv-output", json=march, headers=staff.village)).status_code == 201
    twice = await funds.post(f"/assets/{station}/pv-output", json=march, headers=staff.village)
    assert twice.status_code == 409
    future = await funds.post(f"/assets/{station}/pv-output", json={**march, "month": "2026-07"}, headers=staff.village)
    assert future.status_code == 422
    april = {"month": "2026-04", "output_kwh": "9100", "income": "3640"}
    assert (await funds.post(f"/assets/{station}/pv-output", json=april, headers=staff.village)).status_code == 201
    assert await count(session_on(COMMON), PvOutput) == 2

    report = (await funds.get("/pv-stations/output", params={"year": 2026}, headers=staff.town)).json()
    assert [(s["asset_id"], s["months_reported"]) for s in report["stations"]] == [(station, 2)]
    assert (Decimal(report["output_kwh"]), Decimal(report["income"])) == (Decimal("17750.5"), Decimal("7100.20"))


async def test_the_overview_counts_missing_upkeep_with_the_overdue_lists_definition(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    await assets_of(funds, staff, clock, asset(), asset(name="道路", category="公益性", value="1000.50"))
    overview = (await funds.get("/assets/overview", params={"on": "2026-04-01"}, headers=staff.district)).json()
    overdue = (await funds.get("/assets/upkeep/overdue", params={"on": "2026-04-01"}, headers=staff.district)).json()
    assert overview["upkeep_missing"] == overdue["counts"] == {"村级管护": 2, "乡镇巡查": 2, "区级督导": 0}
    assert [(c["category"], c["assets"]) for c in overview["by_category"]] == [("公益性", 1), ("经营性", 1)]
    assert overview["surveys"] == {"待处置": 0, "处置中": 0, "已处置": 0}
