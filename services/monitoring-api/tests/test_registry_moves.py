"""Registry lifecycle over HTTP: members move between households, households between villages, history is kept."""

from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.contracts import PROVINCIAL_RECORD_CHANGE
from monitoring_api.deps import get_today
from monitoring_api.households.models import HouseholdMove, Member, MemberMove
from monitoring_api.models import COMMON

from .helpers import household, member, person_id

Tokens = Callable[..., dict[str, str]]
TODAY = date(2024, 6, 10)


@pytest.fixture(autouse=True)
def fixed_today(monitoring_app: FastAPI) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY


async def _create(client: httpx.AsyncClient, headers: dict[str, str], region: str, *people: dict[str, Any]) -> Any:
    body = household(region, list(people) or [member()])
    response = await client.post("/households", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _count(session: AsyncSession, model: type) -> int:
    return await session.scalar(select(func.count()).select_from(model))  # type: ignore[return-value]


async def _events(session: AsyncSession) -> list[dict[str, Any]]:
    outbox = COMMON.outbox
    # One subscriber's copy of each event (every subscriber of a topic gets the same events).
    stmt = select(outbox).where(outbox.c.actor_name == PROVINCIAL_RECORD_CHANGE.name).order_by(outbox.c.id)
    return [row.payload for row in (await session.execute(stmt)).all()]


async def test_a_member_moves_to_another_household_and_both_histories_show_it(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    first = await _create(monitoring, headers, VILLAGE, member(), member(relation="配偶", name="王芳"))
    second = await _create(monitoring, headers, VILLAGE)
    spouse = first["members"][1]

    response = await monitoring.post(
        f"/members/{spouse['id']}/move",
        json={"to_household_id": second["id"], "moved_on": "2024-05-01", "reason": "婚嫁", "relation": "之女"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["household_id"] == second["id"]
    assert moved["relation"] == "之女"
    assert response.headers["ETag"] == '"2"'

    for household_id in (first["id"], second["id"]):
        history = (await monitoring.get(f"/households/{household_id}/history", headers=headers)).json()
        assert [(m["member_id"], m["from_household_id"], m["to_household_id"]) for m in history["member_moves"]] == [
            (spouse["id"], first["id"], second["id"])
        ]
        assert history["member_moves"][0]["moved_on"] == "2024-05-01"
        assert history["member_moves"][0]["reason"] == "婚嫁"
    remaining = (await monitoring.get(f"/households/{first['id']}", headers=headers)).json()
    assert [m["id"] for m in remaining["members"]] == [first["members"][0]["id"]]
    assert remaining["status"] == "正常"

    session = session_on(COMMON)
    events = await _events(session)
    assert events[-1]["topic"] == "monitoring.member.changed"
    assert (events[-1]["entity_id"], events[-1]["action"]) == (spouse["id"], "moved")
    audit = COMMON.audit_log
    changes = await session.scalar(
        select(audit.c.changes)
        .where(audit.c.entity == "member", audit.c.entity_id == str(spouse["id"]))
        .order_by(audit.c.id.desc())
    )
    assert changes["household_id"] == [first["id"], second["id"]]


async def test_a_town_user_moves_a_member_across_its_villages_and_the_region_follows(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    town = token_for("town", TOWN)
    source = await _create(monitoring, town, VILLAGE, member(), member(relation="之子"))
    target = await _create(monitoring, town, OTHER_VILLAGE)
    son = source["members"][1]
    response = await monitoring.post(
        f"/members/{son['id']}/move", json={"to_household_id": target["id"], "moved_on": "2024-06-10"}, headers=town
    )
    assert response.status_code == 200, response.text
    assert response.json()["region_code"] == OTHER_VILLAGE
    # The village it left no longer sees the member.
    gone = await monitoring.get(f"/members/{son['id']}", headers=token_for("village", VILLAGE))
    assert gone.status_code == 404


async def test_a_village_user_cannot_move_a_member_out_of_its_village(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    mine = token_for("village", VILLAGE)
    source = await _create(monitoring, mine, VILLAGE, member(), member(relation="之子"))
    elsewhere = await _create(monitoring, token_for("village", OTHER_VILLAGE), OTHER_VILLAGE)
    son = source["members"][1]
    response = await monitoring.post(
        f"/members/{son['id']}/move", json={"to_household_id": elsewhere["id"], "moved_on": "2024-06-01"}, headers=mine
    )
    assert response.status_code == 404
    assert "未找到农户" in response.json()["detail"]
    # …nor move a member it cannot see.
    theirs = elsewhere["members"][0]
    response = await monitoring.post(
        f"/members/{theirs['id']}/move", json={"to_household_id": source["id"], "moved_on": "2024-06-01"}, headers=mine
    )
    assert response.status_code == 404
    session = session_on(COMMON)
    assert await _count(session, MemberMove) == 0
    assert await session.scalar(select(Member.household_id).where(Member.id == son["id"])) == source["id"]


@pytest.mark.parametrize(
    ("body", "rule", "field"),
    [
        ({"moved_on": "2024-06-11"}, "date-not-in-future", "body.moved_on"),
        ({"moved_on": "1979-12-31"}, "date-not-before-birth", "body.moved_on"),
        ({"relation": "户主"}, "one-head-per-household", "body.relation"),
    ],
)
async def test_member_move_refusals_name_the_rule_and_write_nothing(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
    body: dict[str, str],
    rule: str,
    field: str,
) -> None:
    headers = token_for("village", VILLAGE)
    source = await _create(
        monitoring, headers, VILLAGE, member(), member(id_number=person_id("19800101"), relation="之子")
    )
    target = await _create(monitoring, headers, VILLAGE)
    payload = {"to_household_id": target["id"], "moved_on": "2024-06-01", **body}
    response = await monitoring.post(f"/members/{source['members'][1]['id']}/move", json=payload, headers=headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["rule"] == rule
    assert problem["errors"][0]["field"] == field
    session = session_on(COMMON)
    assert await _count(session, MemberMove) == 0
    version = await session.scalar(select(Member.version).where(Member.id == source["members"][1]["id"]))
    assert version == 1


async def test_the_head_must_be_given_a_new_relation_and_same_household_is_refused(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    headers = token_for("village", VILLAGE)
    source = await _create(monitoring, headers, VILLAGE, member(), member(relation="配偶"))
    target = await _create(monitoring, headers, VILLAGE)
    head_id = source["members"][0]["id"]
    no_relation = await monitoring.post(
        f"/members/{head_id}/move", json={"to_household_id": target["id"], "moved_on": "2024-06-01"}, headers=headers
    )
    assert no_relation.status_code == 422
    assert no_relation.json()["rule"] == "one-head-per-household"
    same = await monitoring.post(
        f"/members/{head_id}/move", json={"to_household_id": source["id"], "moved_on": "2024-06-01"}, headers=headers
    )
    assert same.status_code == 422
    assert same.json()["rule"] == "move-to-another-household"
    unknown = await monitoring.post(
        f"/members/{head_id}/move",
        json={"to_household_id": target["id"], "moved_on": "2024-06-01", "relation": "之父", "extra": 1},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.extra"
    ok = await monitoring.post(
        f"/members/{head_id}/move",
        json={"to_household_id": target["id"], "moved_on": "2024-06-01", "relation": "之父"},
        headers=headers,
    )
    assert ok.status_code == 200, ok.text


async def test_the_last_member_leaving_dissolves_the_household_and_nobody_moves_in(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    single = await _create(monitoring, headers, VILLAGE)
    other = await _create(monitoring, headers, VILLAGE, member(), member(relation="之子"))
    moved = await monitoring.post(
        f"/members/{single['members'][0]['id']}/move",
        json={"to_household_id": other["id"], "moved_on": "2024-06-01", "relation": "之父"},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text
    dissolved = (await monitoring.get(f"/households/{single['id']}", headers=headers)).json()
    assert dissolved["status"] == "注销"
    assert dissolved["members"] == []

    refused = await monitoring.post(
        f"/members/{other['members'][1]['id']}/move",
        json={"to_household_id": single["id"], "moved_on": "2024-06-01"},
        headers=headers,
    )
    assert refused.status_code == 422
    assert refused.json()["rule"] == "no-change-to-dissolved-household"
    added = await monitoring.post(f"/households/{single['id']}/members", json=member(relation="之子"), headers=headers)
    assert added.status_code == 422
    assert await _count(session_on(COMMON), MemberMove) == 1


async def test_a_household_moves_village_with_all_its_members(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    town = token_for("town", TOWN)
    created = await _create(monitoring, town, VILLAGE, member(), member(relation="配偶"), member(relation="之子"))
    dead = created["members"][2]
    assert (
        await monitoring.post(f"/members/{dead['id']}/death", json={"died_on": "2024-01-02"}, headers=town)
    ).status_code == 200
    session = session_on(COMMON)
    events_before = len(await _events(session))

    response = await monitoring.post(
        f"/households/{created['id']}/move",
        json={"to_region_code": OTHER_VILLAGE, "moved_on": "2024-06-01", "reason": "易地搬迁"},
        headers=town,
    )
    assert response.status_code == 200, response.text
    assert response.json()["region_code"] == OTHER_VILLAGE
    assert response.headers["ETag"] == '"2"'

    detail = (await monitoring.get(f"/households/{created['id']}", headers=town)).json()
    assert {m["region_code"] for m in detail["members"]} == {OTHER_VILLAGE}
    assert all(m["version"] >= 2 for m in detail["members"])
    history = (await monitoring.get(f"/households/{created['id']}/history", headers=town)).json()
    assert [(m["from_region_code"], m["to_region_code"], m["moved_on"]) for m in history["household_moves"]] == [
        (VILLAGE, OTHER_VILLAGE, "2024-06-01")
    ]
    assert [(e["member_id"], e["status"], e["status_date"]) for e in history["member_exits"]] == [
        (dead["id"], "死亡", "2024-01-02")
    ]
    assert (
        await monitoring.get(f"/households/{created['id']}", headers=token_for("village", VILLAGE))
    ).status_code == 404

    events = (await _events(session))[events_before:]
    assert sorted((e["entity"], e["entity_id"], e["action"], e["region_code"]) for e in events) == sorted(
        [("household", created["id"], "moved", OTHER_VILLAGE)]
        + [("member", m["id"], "moved", OTHER_VILLAGE) for m in created["members"]]
    )
    assert len({e["event_id"] for e in events}) == len(events)
    audit = COMMON.audit_log
    summary = await session.scalar(
        select(audit.c.changes).where(audit.c.entity == "member", audit.c.entity_id == f"household:{created['id']}")
    )
    assert summary["region_code"] == [VILLAGE, OTHER_VILLAGE]
    assert sorted(summary["member_ids"]) == sorted(m["id"] for m in created["members"])


@pytest.mark.parametrize(
    ("to_region", "moved_on", "status", "rule"),
    [
        (VILLAGE, "2024-06-01", 422, "move-to-another-village"),
        (OTHER_VILLAGE, "2024-06-11", 422, "date-not-in-future"),
        (TOWN, "2024-06-01", 422, None),  # a town is not a village
        (OTHER_TOWN_VILLAGE, "2024-06-01", 404, None),  # outside the caller's town
    ],
)
async def test_household_move_refusals_write_nothing(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
    to_region: str,
    moved_on: str,
    status: int,
    rule: str | None,
) -> None:
    town = token_for("town", TOWN)
    created = await _create(monitoring, town, VILLAGE)
    response = await monitoring.post(
        f"/households/{created['id']}/move", json={"to_region_code": to_region, "moved_on": moved_on}, headers=town
    )
    assert response.status_code == status, response.text
    assert response.json().get("rule") == rule
    if to_region == TOWN:
        assert response.json()["type"].endswith("/not-a-village")
    session = session_on(COMMON)
    assert await _count(session, HouseholdMove) == 0
    assert await session.scalar(select(Member.region_code).where(Member.household_id == created["id"])) == VILLAGE


async def test_a_village_user_cannot_move_its_household_to_another_village(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    mine = token_for("village", VILLAGE)
    created = await _create(monitoring, mine, VILLAGE)
    response = await monitoring.post(
        f"/households/{created['id']}/move",
        json={"to_region_code": OTHER_VILLAGE, "moved_on": "2024-06-01"},
        headers=mine,
    )
    assert response.status_code == 404
    assert (await monitoring.get(f"/households/{created['id']}", headers=mine)).json()["region_code"] == VILLAGE


async def test_history_is_scoped_and_records_are_never_deleted(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    created = await _create(monitoring, token_for("village", OTHER_VILLAGE), OTHER_VILLAGE)
    mine = token_for("village", VILLAGE)
    assert (await monitoring.get(f"/households/{created['id']}/history", headers=mine)).status_code == 404
    district = token_for("district", "360702000000")
    assert (await monitoring.delete(f"/households/{created['id']}", headers=district)).status_code == 405
    assert (await monitoring.delete(f"/members/{created['members'][0]['id']}", headers=district)).status_code == 405
