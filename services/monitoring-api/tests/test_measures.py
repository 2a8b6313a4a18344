"""Assistance measures over HTTP: categories and sub-types, families, status rules, If-Match, scoping, listing."""

from datetime import date

import httpx
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from monitoring_api.measures.models import Measure
from monitoring_api.models import COMMON

from .test_measure_helpers import Sessions, Tokens, count, make_household, outbox_topics, set_today


def measure(**overrides: object) -> dict[str, object]:
    return {"category": "产业帮扶", "sub_type": "种植业", "owner": "王干部", "start_on": "2024-03-01", **overrides}


async def test_a_measure_is_created_with_its_family_and_an_event(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    household_id = await make_household(monitoring, token_for, session)
    headers = token_for("village", VILLAGE)
    response = await monitoring.post(
        f"/households/{household_id}/measures", json=measure(amount="1200.50"), headers=headers
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["family"] == "开发式"
    assert created["status"] == "计划中"
    assert created["amount"] == "1200.50"
    assert created["region_code"] == VILLAGE
    assert response.headers["Location"] == f"/measures/{created['id']}"
    assert response.headers["ETag"] == '"1"'
    assert ("monitoring.measure.changed", "measure", "created") in await outbox_topics(session)

    protective = await monitoring.post(
        f"/households/{household_id}/measures",
        json=measure(category="综合保障", sub_type="临时救助"),
        headers=headers,
    )
    assert protective.status_code == 201, protective.text
    assert protective.json()["family"] == "保障性"


async def test_a_sub_type_must_belong_to_its_category(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    household_id = await make_household(monitoring, token_for, session)
    headers = token_for("village", VILLAGE)
    url = f"/households/{household_id}/measures"
    refused = await monitoring.post(url, json=measure(category="综合保障", sub_type="技能培训"), headers=headers)
    assert refused.status_code == 422
    assert refused.json()["rule"] == "measure-sub-type"
    assert "临时救助" in refused.json()["detail"]
    assert await count(session, Measure) == 0
    for category, sub_type in (("就业帮扶", "技能培训"), ("其他教育帮扶", "技能培训"), ("金融帮扶", "防贫保险")):
        ok = await monitoring.post(url, json=measure(category=category, sub_type=sub_type), headers=headers)
        assert ok.status_code == 201, ok.text
    unknown = await monitoring.post(url, json=measure(category="扶贫"), headers=headers)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.category"


async def test_period_results_and_amount_are_checked(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    household_id = await make_household(monitoring, token_for, session)
    headers = token_for("village", VILLAGE)
    url = f"/households/{household_id}/measures"
    backwards = await monitoring.post(url, json=measure(end_on="2024-02-28"), headers=headers)
    assert backwards.status_code == 422
    assert backwards.json()["rule"] == "measure-period"
    no_results = await monitoring.post(url, json=measure(status="已完成"), headers=headers)
    assert no_results.status_code == 422
    assert no_results.json()["rule"] == "measure-results-required"
    negative = await monitoring.post(url, json=measure(amount="-1"), headers=headers)
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["field"] == "body.amount"
    assert await count(session, Measure) == 0
    same_day = await monitoring.post(url, json=measure(end_on="2024-03-01"), headers=headers)
    assert same_day.status_code == 201


async def test_updates_take_if_match_and_follow_the_status_order(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    household_id = await make_household(monitoring, token_for, session_on(COMMON))
    headers = token_for("village", VILLAGE)
    created = (await monitoring.post(f"/households/{household_id}/measures", json=measure(), headers=headers)).json()
    url = f"/measures/{created['id']}"
    assert (await monitoring.patch(url, json={"status": "实施中"}, headers=headers)).status_code == 428
    started = await monitoring.patch(url, json={"status": "实施中"}, headers={**headers, "If-Match": '"1"'})
    assert started.status_code == 200, started.text
    assert started.headers["ETag"] == '"2"'
    stale = await monitoring.patch(url, json={"owner": "李"}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    unfinished = await monitoring.patch(url, json={"status": "已完成"}, headers={**headers, "If-Match": '"2"'})
    assert unfinished.json()["rule"] == "measure-results-required"
    done = await monitoring.patch(
        url, json={"status": "已完成", "results": "种植脐橙5亩, 年增收6000元"}, headers={**headers, "If-Match": '"2"'}
    )
    assert done.status_code == 200
    back = await monitoring.patch(url, json={"status": "实施中"}, headers={**headers, "If-Match": '"3"'})
    assert back.status_code == 422
    assert back.json()["rule"] == "measure-status-transition"
    removed = await monitoring.patch(url, json={"owner": None}, headers={**headers, "If-Match": '"3"'})
    assert removed.status_code == 422
    assert removed.json()["errors"][0]["field"] == "body.owner"
    extra = await monitoring.patch(url, json={"category": "综合保障"}, headers={**headers, "If-Match": '"3"'})
    assert extra.status_code == 422
    current = (await monitoring.get(url, headers=headers)).json()
    assert (current["status"], current["category"], current["owner"]) == ("已完成", "产业帮扶", "王干部")
    assert current["version"] == 3


async def test_a_village_user_cannot_see_or_change_another_villages_measures(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    theirs = await make_household(monitoring, token_for, session, region=OTHER_VILLAGE)
    far = await make_household(monitoring, token_for, session, region=OTHER_TOWN_VILLAGE)
    district = token_for("district", DISTRICT)
    created = await monitoring.post(f"/households/{theirs}/measures", json=measure(), headers=district)
    measure_id = created.json()["id"]
    await monitoring.post(f"/households/{far}/measures", json=measure(), headers=district)

    mine = token_for("village", VILLAGE)
    assert (await monitoring.get(f"/measures/{measure_id}", headers=mine)).status_code == 404
    patch = await monitoring.patch(
        f"/measures/{measure_id}", json={"owner": "冒名"}, headers={**mine, "If-Match": '"1"'}
    )
    assert patch.status_code == 404
    assert (await monitoring.post(f"/households/{theirs}/measures", json=measure(), headers=mine)).status_code == 404
    assert (await monitoring.get(f"/households/{theirs}/measures", headers=mine)).status_code == 404
    assert (await monitoring.get("/measures", headers=mine)).json()["items"] == []
    assert await count(session, Measure) == 2

    town = (await monitoring.get("/measures", headers=token_for("town", TOWN))).json()["items"]
    assert [m["household_id"] for m in town] == [theirs]
    cadre = await monitoring.post(f"/households/{theirs}/measures", json=measure(), headers=token_for("cadre", TOWN))
    assert cadre.status_code == 403


async def test_measures_list_by_keyset_with_filters(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 6, 1))
    household_id = await make_household(monitoring, token_for, session_on(COMMON))
    headers = token_for("village", VILLAGE)
    url = f"/households/{household_id}/measures"
    for body in (
        measure(),
        measure(category="就业帮扶", sub_type="务工就业", status="实施中"),
        measure(category="健康帮扶", sub_type="医疗救助"),
    ):
        assert (await monitoring.post(url, json=body, headers=headers)).status_code == 201
    first = (await monitoring.get("/measures", params={"limit": 2}, headers=headers)).json()
    assert len(first["items"]) == 2
    second = (
        await monitoring.get("/measures", params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers)
    ).json()
    assert [m["category"] for m in first["items"] + second["items"]] == ["产业帮扶", "就业帮扶", "健康帮扶"]
    assert second["next_cursor"] is None
    development = (await monitoring.get("/measures", params={"family": "开发式"}, headers=headers)).json()
    assert {m["category"] for m in development["items"]} == {"产业帮扶", "就业帮扶"}
    protective = (await monitoring.get("/measures", params={"family": "保障性"}, headers=headers)).json()
    assert [m["category"] for m in protective["items"]] == ["健康帮扶"]
    running = (await monitoring.get("/measures", params={"status": "实施中"}, headers=headers)).json()
    assert [m["category"] for m in running["items"]] == ["就业帮扶"]
    own = (await monitoring.get(url, headers=headers)).json()
    assert len(own["items"]) == 3
    bad = await monitoring.get("/measures", params={"cursor": "nonsense"}, headers=headers)
    assert bad.status_code == 422
