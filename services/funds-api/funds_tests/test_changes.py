"""项目变更: before/after and reason → district approval → applied; nothing changes without it; history kept.
预算评审/结算评审 recorded per project."""

from datetime import timedelta

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from conftest import OTHER_VILLAGE

from .conftest import Clock, Staff
from .helpers import allocate, approved_project, create_source, declare


async def ask(funds: httpx.AsyncClient, headers: dict[str, str], project_id: int, **after: object) -> httpx.Response:
    body = {"after": after, "reason": "村民议事会决定扩大种植规模"}
    return await funds.post(f"/projects/{project_id}/changes", json=body, headers=headers)


async def test_a_change_applies_only_when_the_district_approves(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    project = await approved_project(funds, staff, clock)
    url = f"/projects/{project['id']}"
    response = await ask(funds, staff.village, project["id"], budget="600000.00", name="谢岗村蔬菜基地扩建项目")
    assert response.status_code == 201, response.text
    change = response.json()
    assert change["status"] == "待审批"
    assert change["before"] == {"budget": "500000.00", "name": project["name"]}
    assert change["after"] == {"budget": "600000.00", "name": "谢岗村蔬菜基地扩建项目"}
    unchanged = (await funds.get(url, headers=staff.village)).json()
    assert (unchanged["budget"], unchanged["name"], unchanged["version"]) == (
        "500000.00",
        project["name"],
        project["version"],
    )

    decision = f"/project-changes/{change['id']}/decision"
    assert (await funds.post(decision, json={"approve": True}, headers=staff.town)).status_code == 403
    response = await funds.post(decision, json={"approve": True}, headers=staff.district)
    assert (response.status_code, response.json()["status"]) == (200, "已批准")
    changed = (await funds.get(url, headers=staff.village)).json()
    assert (changed["budget"], changed["name"]) == ("600000.00", "谢岗村蔬菜基地扩建项目")
    response = await funds.post(decision, json={"approve": True}, headers=staff.district)
    assert (response.status_code, response.json()["rule"]) == (409, "change-decided-once")
    steps = (await funds.get(f"{url}/history", headers=staff.district)).json()
    assert [(s["step"], s["result"]) for s in steps][-1] == ("项目变更", "已批准")
    listed = (await funds.get(f"/project-changes?project_id={project['id']}", headers=staff.village)).json()["items"]
    assert [c["status"] for c in listed] == ["已批准"]


async def test_a_refused_change_changes_nothing(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    project = await approved_project(funds, staff, clock)
    change = (await ask(funds, staff.town, project["id"], type="就业")).json()
    decision = f"/project-changes/{change['id']}/decision"
    response = await funds.post(decision, json={"approve": False}, headers=staff.district)
    assert (response.status_code, response.json()["rule"]) == (422, "refusal-needs-reason")
    response = await funds.post(decision, json={"approve": False, "note": "变更理由不充分"}, headers=staff.district)
    assert (response.json()["status"], response.json()["decision_note"]) == ("未批准", "变更理由不充分")
    assert (await funds.get(f"/projects/{project['id']}", headers=staff.village)).json()["type"] == "产业"


async def test_change_requests_are_refused_when_they_break_a_rule(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    pending = await declare(funds, staff.village)
    response = await ask(funds, staff.village, pending["id"], budget="1.00")
    assert (response.status_code, response.json()["rule"]) == (422, "project-approved")
    project = await approved_project(funds, staff, clock)
    response = await ask(funds, staff.village, project["id"], owner_department="区农办")
    assert (response.status_code, response.json()["rule"]) == (422, "change-changes-something")
    source = await create_source(funds, staff.finance)
    await allocate(funds, staff.finance, source, project, "300000.00", clock.today)
    response = await ask(funds, staff.village, project["id"], budget="299999.99")
    assert (response.status_code, response.json()["rule"]) == (422, "budget-covers-allocations")
    response = await ask(funds, staff.village, project["id"], status="已入库")
    assert response.status_code == 422
    assert await connection.scalar(text("SELECT count(*) FROM funds.project_change")) == 0
    assert (await ask(funds, staff.village, project["id"], budget="400000.00")).status_code == 201
    response = await ask(funds, staff.village, project["id"], budget="450000.00")
    assert (response.status_code, response.json()["rule"]) == (409, "one-pending-change")


async def test_a_change_asked_of_an_older_project_is_not_applied(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    project = await approved_project(funds, staff, clock)
    change = (await ask(funds, staff.village, project["id"], budget="400000.00")).json()
    etag = (await funds.get(f"/projects/{project['id']}", headers=staff.village)).headers["ETag"]
    await funds.patch(
        f"/projects/{project['id']}", json={"progress": "在建"}, headers={**staff.village, "If-Match": etag}
    )
    response = await funds.post(
        f"/project-changes/{change['id']}/decision", json={"approve": True}, headers=staff.district
    )
    assert (response.status_code, response.json()["rule"]) == (409, "change-on-current-project")
    assert (await funds.get(f"/projects/{project['id']}", headers=staff.village)).json()["budget"] == "500000.00"


async def test_a_moved_project_takes_its_money_along(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    project = await approved_project(funds, staff, clock)
    source = await create_source(funds, staff.finance)
    allocation = await allocate(funds, staff.finance, source, project, "100.00", clock.today)
    change = (await ask(funds, staff.town, project["id"], region_code=OTHER_VILLAGE)).json()
    await funds.post(f"/project-changes/{change['id']}/decision", json={"approve": True}, headers=staff.district)
    assert (await funds.get(f"/projects/{project['id']}", headers=staff.village)).status_code == 404
    moved = (await funds.get(f"/projects/{project['id']}", headers=staff.other_village)).json()
    assert moved["region_code"] == OTHER_VILLAGE
    assert (await funds.get(f"/allocations/{allocation['id']}", headers=staff.other_village)).status_code == 200


async def test_budget_and_settlement_reviews(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    project = await approved_project(funds, staff, clock)
    url = f"/projects/{project['id']}/reviews"
    review = {
        "kind": "预算评审",
        "reviewed_on": str(clock.today),
        "agency": "区财政投资评审中心",
        "submitted_amount": "500000.00",
        "approved_amount": "480000.00",
        "conclusion": "核减 2 万元",
    }
    assert (await funds.post(url, json=review, headers=staff.village)).status_code == 403
    response = await funds.post(url, json=review, headers=staff.finance)
    assert response.status_code == 201, response.text
    settlement = {**review, "kind": "结算评审"}
    response = await funds.post(url, json=settlement, headers=staff.finance)
    assert (response.status_code, response.json()["rule"]) == (422, "settlement-after-completion")
    await funds.post(
        f"/projects/{project['id']}/completion", json={"completed_on": str(clock.today)}, headers=staff.town
    )
    clock.today += timedelta(days=30)
    settlement["reviewed_on"] = str(clock.today)
    assert (await funds.post(url, json=settlement, headers=staff.finance)).status_code == 201
    listed = (await funds.get(url, headers=staff.village)).json()
    assert [(r["kind"], r["approved_amount"]) for r in listed] == [("预算评审", "480000.00"), ("结算评审", "480000.00")]
    assert (await funds.get(f"/projects/{project['id']}", headers=staff.village)).json()["budget"] == "500000.00"
