"""The project library: 村申报 → 乡审核 (with public notice) → 区审定, each step by its role; refusals with reasons."""

from datetime import date, timedelta

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from conftest import OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE

from .conftest import Clock, Staff
from .helpers import approved_project, declare, project_body


async def count(connection: AsyncConnection, table: str) -> int:
    return int(await connection.scalar(text(f"SELECT count(*) FROM funds.{table}")) or 0)


async def test_a_project_goes_through_declaration_review_and_approval(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    project = await declare(funds, staff.village, funding_plan=[{"level": "中央", "amount": "300000.00"}])
    assert (project["status"], project["town_code"], project["declared_on"]) == ("待乡审核", TOWN, "2026-03-02")
    review = {"agree": True, "opinion": "同意", "notice_start": "2026-03-03", "notice_end": "2026-03-09"}
    response = await funds.post(f"/projects/{project['id']}/town-review", json=review, headers=staff.town)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "待区审定"
    notice = (await funds.get(f"/projects/{project['id']}/notice", headers=staff.village)).json()
    assert (notice["notice_start"], notice["notice_end"], notice["budget"]) == ("2026-03-03", "2026-03-09", "500000.00")

    clock.today = date(2026, 3, 10)
    response = await funds.post(
        f"/projects/{project['id']}/district-approval", json={"approve": True}, headers=staff.district
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["decided_on"]) == ("已入库", "2026-03-10")
    steps = (await funds.get(f"/projects/{project['id']}/history", headers=staff.town)).json()
    assert [(s["step"], s["result"], s["actor_role"]) for s in steps] == [
        ("村申报", "已申报", "village"),
        ("乡审核", "同意", "town"),
        ("区审定", "入库", "district"),
    ]


async def test_each_step_is_taken_by_its_role_only(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    response = await funds.post("/projects", json=project_body(), headers=staff.town)
    assert response.status_code == 403
    assert response.json()["rule"] == "project-step-by-its-role"
    assert await count(connection, "project") == 0
    project = await declare(funds, staff.village)
    review = {"agree": True, "notice_start": "2026-03-02", "notice_end": "2026-03-08"}
    for headers in (staff.village, staff.district):
        response = await funds.post(f"/projects/{project['id']}/town-review", json=review, headers=headers)
        assert response.status_code == 403, response.text
        assert response.json()["rule"] == "project-step-by-its-role"
    response = await funds.post(
        f"/projects/{project['id']}/district-approval", json={"approve": True}, headers=staff.town
    )
    assert response.status_code == 403
    assert (await funds.get(f"/projects/{project['id']}", headers=staff.town)).json()["status"] == "待乡审核"


async def test_steps_follow_the_order(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    project = await declare(funds, staff.village)
    response = await funds.post(
        f"/projects/{project['id']}/district-approval", json={"approve": True}, headers=staff.district
    )
    assert response.status_code == 409
    assert response.json()["rule"] == "project-steps-in-order"
    approved = await approved_project(funds, staff, clock)
    review = {"agree": True, "notice_start": "2026-03-02", "notice_end": "2026-03-08"}
    response = await funds.post(f"/projects/{approved['id']}/town-review", json=review, headers=staff.town)
    assert response.status_code == 409


async def test_the_district_decides_only_after_the_notice(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    project = await declare(funds, staff.village)
    review = {"agree": True, "notice_start": "2026-03-02", "notice_end": "2026-03-08"}
    await funds.post(f"/projects/{project['id']}/town-review", json=review, headers=staff.town)
    clock.today = date(2026, 3, 8)
    url = f"/projects/{project['id']}/district-approval"
    response = await funds.post(url, json={"approve": True}, headers=staff.district)
    assert response.status_code == 422
    assert response.json()["rule"] == "district-after-notice"
    clock.today = date(2026, 3, 9)
    assert (await funds.post(url, json={"approve": True}, headers=staff.district)).status_code == 200


async def test_an_agreeing_town_posts_a_notice(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    project = await declare(funds, staff.village)
    url = f"/projects/{project['id']}/town-review"
    for body in (
        {"agree": True},
        {"agree": True, "notice_start": "2026-03-05", "notice_end": "2026-03-04"},
        {"agree": True, "notice_start": "2026-03-01", "notice_end": "2026-03-09"},  # before the declaration
    ):
        response = await funds.post(url, json=body, headers=staff.town)
        assert response.status_code == 422, body
        assert response.json()["rule"] == "project-notice-dates"
    response = await funds.get(f"/projects/{project['id']}/notice", headers=staff.town)
    assert response.status_code == 422
    assert response.json()["rule"] == "project-notice-posted"


async def test_refusals_carry_their_reason(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    returned = await declare(funds, staff.village)
    url = f"/projects/{returned['id']}/town-review"
    response = await funds.post(url, json={"agree": False}, headers=staff.town)
    assert (response.status_code, response.json()["rule"]) == (422, "refusal-needs-reason")
    response = await funds.post(url, json={"agree": False, "opinion": "选址与规划冲突"}, headers=staff.town)
    assert (response.json()["status"], response.json()["refusal_reason"]) == ("乡镇退回", "选址与规划冲突")

    refused = await declare(funds, staff.village)
    review = {"agree": True, "notice_start": "2026-03-02", "notice_end": "2026-03-02"}
    await funds.post(f"/projects/{refused['id']}/town-review", json=review, headers=staff.town)
    clock.today = date(2026, 3, 3)
    url = f"/projects/{refused['id']}/district-approval"
    response = await funds.post(url, json={"approve": False}, headers=staff.district)
    assert (response.status_code, response.json()["rule"]) == (422, "refusal-needs-reason")
    response = await funds.post(url, json={"approve": False, "reason": "重复申报"}, headers=staff.district)
    assert (response.json()["status"], response.json()["refusal_reason"]) == ("区级未通过", "重复申报")


async def test_a_village_declares_only_for_itself_and_sees_only_itself(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    response = await funds.post("/projects", json=project_body(region_code=OTHER_VILLAGE), headers=staff.village)
    assert response.status_code == 404
    response = await funds.post("/projects", json=project_body(region_code=TOWN), headers=staff.district)
    assert response.status_code == 403
    assert await count(connection, "project") == 0
    mine = await declare(funds, staff.village)
    theirs = await declare(funds, staff.other_town_village, region_code=OTHER_TOWN_VILLAGE)
    assert (await funds.get(f"/projects/{theirs['id']}", headers=staff.village)).status_code == 404
    assert (await funds.get(f"/projects/{mine['id']}", headers=staff.other_village)).status_code == 404
    assert (await funds.get(f"/projects/{theirs['id']}", headers=staff.town)).status_code == 404
    review = {"agree": True, "notice_start": "2026-03-02", "notice_end": "2026-03-08"}
    response = await funds.post(f"/projects/{theirs['id']}/town-review", json=review, headers=staff.town)
    assert response.status_code == 404
    listed = (await funds.get("/projects", headers=staff.town)).json()["items"]
    assert [p["id"] for p in listed] == [mine["id"]]
    listed = (await funds.get("/projects", headers=staff.district)).json()["items"]
    assert {p["id"] for p in listed} == {mine["id"], theirs["id"]}


async def test_the_funding_plan_stays_within_the_budget(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    plan = [{"level": "中央", "amount": "300000.00"}, {"level": "区", "amount": "200000.01"}]
    response = await funds.post("/projects", json=project_body(funding_plan=plan), headers=staff.village)
    assert (response.status_code, response.json()["rule"]) == (422, "funding-plan-within-budget")
    assert await count(connection, "project") == 0


async def test_patch_refuses_what_the_workflow_decides(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    project = await approved_project(funds, staff, clock)
    url = f"/projects/{project['id']}"
    etag = (await funds.get(url, headers=staff.village)).headers["ETag"]
    for field, value in (("budget", "1.00"), ("status", "已入库"), ("name", "x"), ("type", "就业"), ("year", 2027)):
        response = await funds.patch(url, json={field: value}, headers={**staff.village, "If-Match": etag})
        assert response.status_code == 422, field
        assert response.json()["errors"][0]["field"] == f"body.{field}"
    response = await funds.patch(url, json={"description": "x"}, headers=staff.village)
    assert response.status_code == 428
    response = await funds.patch(
        url, json={"description": "大棚 20 个", "progress": "在建"}, headers={**staff.village, "If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert (response.json()["description"], response.json()["progress"]) == ("大棚 20 个", "在建")
    response = await funds.patch(url, json={"description": "y"}, headers={**staff.village, "If-Match": etag})
    assert response.status_code == 412


async def test_completion_of_an_approved_project(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    pending = await declare(funds, staff.village)
    response = await funds.post(
        f"/projects/{pending['id']}/completion", json={"completed_on": str(clock.today)}, headers=staff.town
    )
    assert (response.status_code, response.json()["rule"]) == (422, "project-approved")
    project = await approved_project(funds, staff, clock)
    url = f"/projects/{project['id']}/completion"
    tomorrow = str(clock.today + timedelta(days=1))
    response = await funds.post(url, json={"completed_on": tomorrow}, headers=staff.town)
    assert (response.status_code, response.json()["rule"]) == (422, "project-step-dates")
    response = await funds.post(url, json={"completed_on": str(clock.today)}, headers=staff.town)
    assert (response.json()["progress"], response.json()["completed_on"]) == ("已完工", str(clock.today))
    response = await funds.post(url, json={"completed_on": str(clock.today)}, headers=staff.district)
    assert (response.status_code, response.json()["rule"]) == (409, "project-completed-once")


async def test_writes_are_audited(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    project = await approved_project(funds, staff, clock)
    rows = (
        await connection.execute(
            text("SELECT actor, action FROM funds.audit_log WHERE entity = 'project' AND entity_id = :id ORDER BY id"),
            {"id": str(project["id"])},
        )
    ).all()
    assert [tuple(r) for r in rows] == [("user:v1", "insert"), ("user:t1", "update"), ("user:d1", "update")]


async def test_a_retried_declaration_writes_once(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    body = project_body()
    headers = {**staff.village, "Idempotency-Key": "declare-1"}
    first = await funds.post("/projects", json=body, headers=headers)
    second = await funds.post("/projects", json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert await count(connection, "project") == 1
    assert await connection.scalar(select(func.count()).select_from(text("funds.project_step"))) == 1


async def test_lists_are_keyset_paginated(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    ids = [(await declare(funds, staff.village))["id"] for _ in range(3)]
    first = (await funds.get("/projects?limit=2", headers=staff.village)).json()
    rest = (await funds.get(f"/projects?limit=2&cursor={first['next_cursor']}", headers=staff.village)).json()
    assert [p["id"] for p in first["items"] + rest["items"]] == ids
    assert rest["next_cursor"] is None


async def test_problems_speak_chinese(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    plan = [{"level": "中央", "amount": "600000.00"}]
    body = (await funds.post("/projects", json=project_body(funding_plan=plan), headers=staff.village)).json()
    assert body["title"] == "资金计划超过项目预算"
    assert "超过项目预算 500000.00" in body["detail"]
    assert VILLAGE  # the village of the fixtures is the one declared for
