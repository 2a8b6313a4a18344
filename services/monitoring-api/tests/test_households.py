"""The household registry over HTTP: validation, region scoping, audit, idempotency and optimistic concurrency."""

from collections.abc import Callable

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.contracts import SUBSCRIBERS, Topic
from monitoring_api.households.models import Household, Member
from monitoring_api.models import COMMON

from .helpers import household, member, person_id

Tokens = Callable[..., dict[str, str]]


async def _count(session: AsyncSession, model: type) -> int:
    return await session.scalar(select(func.count()).select_from(model))  # type: ignore[return-value]


async def test_village_user_registers_a_household(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    body = household(VILLAGE, [member(id_number="11010519491231002X", name="李四")])
    response = await monitoring.post("/households", json=body, headers=token_for("village", VILLAGE))
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/households/{created['id']}"
    assert created["members"][0]["sex"] == "女"
    assert created["members"][0]["birth_date"] == "1949-12-31"


async def test_village_user_gets_404_for_another_village(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    other = await monitoring.post(
        "/households", json=household(OTHER_VILLAGE), headers=token_for("village", OTHER_VILLAGE)
    )
    assert other.status_code == 201
    other_id = other.json()["id"]

    mine = token_for("village", VILLAGE)
    response = await monitoring.get(f"/households/{other_id}", headers=mine)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "张三" not in response.text
    listing = await monitoring.get("/households", headers=mine)
    assert other_id not in [h["id"] for h in listing.json()["items"]]
    write = await monitoring.patch(
        f"/households/{other_id}", json={"head_name": "王五"}, headers={**mine, "If-Match": '"1"'}
    )
    assert write.status_code == 404
    create = await monitoring.post("/households", json=household(OTHER_VILLAGE), headers=mine)
    assert create.status_code == 404


async def test_town_user_sees_its_villages_only(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    in_town = await monitoring.post(
        "/households", json=household(OTHER_VILLAGE), headers=token_for("district", "360702000000")
    )
    elsewhere = await monitoring.post(
        "/households", json=household(OTHER_TOWN_VILLAGE), headers=token_for("district", "360702000000")
    )
    town = token_for("town", TOWN)
    assert (await monitoring.get(f"/households/{in_town.json()['id']}", headers=town)).status_code == 200
    assert (await monitoring.get(f"/households/{elsewhere.json()['id']}", headers=town)).status_code == 404


async def test_bad_id_number_is_a_problem_naming_the_field(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    body = household(VILLAGE, [member(id_number="110105194912310021")])
    response = await monitoring.post("/households", json=body, headers=token_for("village", VILLAGE))
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["errors"][0]["field"] == "body.members.0.id_number"
    assert problem["errors"][0]["message"] == "身份证号校验位不正确"
    assert problem["errors"][0]["label"] == "身份证号"
    english = await monitoring.post(
        "/households", json=body, headers={**token_for("village", VILLAGE), "Accept-Language": "en"}
    )
    assert "check character" in english.json()["errors"][0]["message"]
    assert await _count(session_on(COMMON), Household) == 0


async def test_a_person_cannot_be_in_two_households(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    shared_person = person_id()
    first = await monitoring.post(
        "/households", json=household(VILLAGE, [member(id_number=shared_person)]), headers=headers
    )
    assert first.status_code == 201
    second = await monitoring.post(
        "/households", json=household(VILLAGE, [member(id_number=shared_person)]), headers=headers
    )
    assert second.status_code == 409
    assert shared_person in second.json()["detail"]
    assert f"农户 {first.json()['id']}" in second.json()["detail"]
    session = session_on(COMMON)
    assert await _count(session, Household) == 1
    assert await _count(session, Member) == 1


async def test_every_write_is_audited_with_before_and_after(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE, subject="42")
    created = (await monitoring.post("/households", json=household(VILLAGE), headers=headers)).json()
    response = await monitoring.patch(
        f"/households/{created['id']}", json={"head_name": "王五"}, headers={**headers, "If-Match": '"1"'}
    )
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    audit = COMMON.audit_log
    rows = (
        await session_on(COMMON).execute(
            select(audit)
            .where(audit.c.entity == "household", audit.c.entity_id == str(created["id"]))
            .order_by(audit.c.id)
        )
    ).all()
    assert [row.action for row in rows] == ["insert", "update"]
    assert rows[1].actor == "user:42"
    assert rows[1].changes["head_name"] == ["张三", "王五"]


async def test_an_idempotent_replay_returns_the_first_response_and_writes_nothing(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = {**token_for("village", VILLAGE), "Idempotency-Key": "batch-7-row-1"}
    body = household(VILLAGE)
    first = await monitoring.post("/households", json=body, headers=headers)
    replay = await monitoring.post("/households", json=body, headers=headers)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    session = session_on(COMMON)
    assert await _count(session, Household) == 1
    outbox = COMMON.outbox
    # household + member, once for each subscriber of their topics
    assert await session.scalar(select(func.count()).select_from(outbox)) == 2 * len(SUBSCRIBERS[Topic.member_changed])

    reused = await monitoring.post("/households", json=household(VILLAGE, head_name="别人"), headers=headers)
    assert reused.status_code == 422
    assert await _count(session, Household) == 1


async def test_a_stale_if_match_is_refused(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    headers = token_for("village", VILLAGE)
    created = (await monitoring.post("/households", json=household(VILLAGE), headers=headers)).json()
    url = f"/households/{created['id']}"
    assert (
        await monitoring.patch(url, json={"head_name": "甲"}, headers={**headers, "If-Match": '"1"'})
    ).status_code == 200
    stale = await monitoring.patch(url, json={"head_name": "乙"}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    missing = await monitoring.patch(url, json={"head_name": "乙"}, headers=headers)
    assert missing.status_code == 428
    assert (await monitoring.get(url, headers=headers)).json()["head_name"] == "甲"


async def test_requests_without_credentials_are_refused(monitoring: httpx.AsyncClient) -> None:
    response = await monitoring.get("/households")
    assert response.status_code == 401
    assert response.json()["type"].endswith("/unauthorized")


async def test_the_district_reads_the_audit_trail_and_a_village_may_not(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    village = token_for("village", VILLAGE, subject="7")
    created = (await monitoring.post("/households", json=household(VILLAGE), headers=village)).json()
    district = token_for("district", "360702000000")
    trail = await monitoring.get(
        "/audit", params={"entity": "household", "entity_id": str(created["id"])}, headers=district
    )
    assert trail.status_code == 200
    [entry] = trail.json()["items"]
    assert entry["actor"] == "user:7"
    assert entry["action"] == "insert"
    assert entry["changes"]["head_name"] == [None, "张三"]
    assert (await monitoring.get("/audit", headers=village)).status_code == 403


async def test_a_conflict_with_another_village_names_only_that_village(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    person = person_id()
    elsewhere = await monitoring.post(
        "/households",
        json=household(OTHER_VILLAGE, [member(id_number=person)]),
        headers=token_for("village", OTHER_VILLAGE),
    )
    assert elsewhere.status_code == 201
    response = await monitoring.post(
        "/households", json=household(VILLAGE, [member(id_number=person)]), headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 409
    assert OTHER_VILLAGE in response.json()["detail"]
    assert f"农户 {elsewhere.json()['id']}" not in response.json()["detail"]


async def test_a_subject_registered_directly_does_not_escape_the_rules_counted_from_inclusion(monitoring, token_for):
    village = token_for("village", VILLAGE)
    given = await monitoring.post(
        "/households", json=household(VILLAGE, category="边缘易致贫户", included_on="2024-03-01"), headers=village
    )
    assert given.status_code == 201, given.text
    assert given.json()["included_on"] == "2024-03-01"
    undated = await monitoring.post("/households", json=household(VILLAGE, category="突发严重困难户"), headers=village)
    assert undated.status_code == 201
    assert undated.json()["included_on"] is not None  # counted from the day it was registered
    ordinary = await monitoring.post("/households", json=household(VILLAGE, category="一般农户"), headers=village)
    assert ordinary.json()["included_on"] is None


async def test_an_inclusion_date_is_refused_for_a_household_that_is_no_subject(monitoring, token_for):
    village = token_for("village", VILLAGE)
    response = await monitoring.post(
        "/households", json=household(VILLAGE, category="脱贫户", included_on="2024-03-01"), headers=village
    )
    assert response.status_code == 422
    assert response.json()["rule"] == "inclusion-date-only-for-monitoring-subjects"
    assert response.json()["errors"][0]["field"] == "body.included_on"
    future = await monitoring.post(
        "/households", json=household(VILLAGE, category="边缘易致贫户", included_on="2999-01-01"), headers=village
    )
    assert future.status_code == 422
    assert future.json()["rule"] == "date-not-in-future"
