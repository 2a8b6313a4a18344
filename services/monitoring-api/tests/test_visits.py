"""Pairings and home visits: one active pairing, visit records, and what a cadre or a village user may see."""

from datetime import date

import httpx
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_VILLAGE, VILLAGE
from monitoring_api.models import COMMON
from monitoring_api.visits.models import Pairing, Visit

from .test_measure_helpers import Sessions, Tokens, count, make_household, set_today

FINDINGS = {"findings": "家中务工正常, 孩子在校", "problems_raised": "希望参加技能培训"}


async def pair(client: httpx.AsyncClient, headers: dict[str, str], household_id: int, **body: str) -> httpx.Response:
    return await client.post(
        "/pairings", json={"household_id": household_id, "since": "2024-01-01", **body}, headers=headers
    )


async def test_a_household_has_one_active_pairing(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 6, 1))
    session = session_on(COMMON)
    household_id = await make_household(monitoring, token_for, session)
    headers = token_for("village", VILLAGE)
    first = await pair(monitoring, headers, household_id, cadre_user_id="77")
    assert first.status_code == 201, first.text
    second = await pair(monitoring, headers, household_id, cadre_name="李干部", cadre_phone="13800000000")
    assert second.status_code == 409
    assert second.json()["rule"] == "one-active-pairing"
    assert await count(session, Pairing) == 1

    anonymous = await pair(monitoring, headers, household_id, cadre_name="李干部")
    assert anonymous.status_code == 422
    future = await pair(monitoring, headers, household_id, cadre_user_id="78", since="2024-06-02")
    assert future.json()["rule"] == "date-not-in-future"

    url = f"/pairings/{first.json()['id']}/end"
    assert (await monitoring.post(url, json={"until": "2024-05-31"}, headers=headers)).status_code == 428
    before = await monitoring.post(url, json={"until": "2023-12-31"}, headers={**headers, "If-Match": '"1"'})
    assert before.status_code == 422
    ended = await monitoring.post(
        url, json={"until": "2024-05-31", "reason": "干部调岗"}, headers={**headers, "If-Match": '"1"'}
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["until"] == "2024-05-31"
    twice = await monitoring.post(url, json={"until": "2024-05-31"}, headers={**headers, "If-Match": '"2"'})
    assert twice.json()["rule"] == "pairing-ended"
    replaced = await pair(monitoring, headers, household_id, cadre_name="李干部", cadre_phone="13800000000")
    assert replaced.status_code == 201
    active = (await monitoring.get("/pairings", params={"active": "true"}, headers=headers)).json()["items"]
    assert [p["cadre_name"] for p in active] == ["李干部"]


async def test_visits_are_recorded_with_their_cadre(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 6, 1))
    session = session_on(COMMON)
    household_id = await make_household(monitoring, token_for, session)
    village = token_for("village", VILLAGE)
    url = f"/households/{household_id}/visits"
    nameless = await monitoring.post(url, json={"visited_on": "2024-05-20", **FINDINGS}, headers=village)
    assert nameless.status_code == 422
    assert nameless.json()["errors"][0]["field"] == "body.cadre"
    await pair(monitoring, village, household_id, cadre_user_id="77", cadre_name="王干部", cadre_phone="13900000000")
    by_staff = await monitoring.post(url, json={"visited_on": "2024-05-20", **FINDINGS}, headers=village)
    assert by_staff.status_code == 201, by_staff.text
    assert (by_staff.json()["cadre_name"], by_staff.json()["cadre_user_id"]) == ("王干部", "user:77")
    other = await monitoring.post(
        url, json={"visited_on": "2024-05-21", "cadre": "赵书记", **FINDINGS}, headers=village
    )
    assert (other.json()["cadre_name"], other.json()["cadre_user_id"]) == ("赵书记", None)

    cadre = token_for("cadre", VILLAGE, subject="77", name="王干部")
    by_cadre = await monitoring.post(url, json={"visited_on": "2024-06-01", **FINDINGS}, headers=cadre)
    assert by_cadre.status_code == 201, by_cadre.text
    assert by_cadre.json()["cadre_user_id"] == "user:77"
    tomorrow = await monitoring.post(url, json={"visited_on": "2024-06-02", **FINDINGS}, headers=cadre)
    assert tomorrow.status_code == 422
    assert tomorrow.json()["rule"] == "date-not-in-future"
    assert await count(session, Visit) == 3
    assert len((await monitoring.get(url, headers=cadre)).json()["items"]) == 3


async def test_a_cadre_sees_only_the_households_paired_with_them(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 6, 1))
    session = session_on(COMMON)
    mine = await make_household(monitoring, token_for, session)
    theirs = await make_household(monitoring, token_for, session)
    district = token_for("district", DISTRICT)
    await pair(monitoring, district, mine, cadre_user_id="77")
    await pair(monitoring, district, theirs, cadre_user_id="88")
    body = {"visited_on": "2024-05-20", "cadre": "某干部", **FINDINGS}
    seen = await monitoring.post(f"/households/{theirs}/visits", json=body, headers=district)
    cadre = token_for("cadre", VILLAGE, subject="77", name="王干部")
    assert (await monitoring.post(f"/households/{theirs}/visits", json=body, headers=cadre)).status_code == 404
    assert (await monitoring.get(f"/households/{theirs}/visits", headers=cadre)).status_code == 404
    assert (await monitoring.get(f"/visits/{seen.json()['id']}", headers=cadre)).status_code == 404
    assert (await monitoring.post(f"/households/{mine}/visits", json=body, headers=cadre)).status_code == 201
    listed = (await monitoring.get("/visits", headers=cadre)).json()["items"]
    assert [v["household_id"] for v in listed] == [mine]
    pairings = (await monitoring.get("/pairings", headers=cadre)).json()["items"]
    assert [p["household_id"] for p in pairings] == [mine]
    assert (await pair(monitoring, cadre, theirs, cadre_user_id="77")).status_code == 403
    assert await count(session, Visit) == 2


async def test_a_village_user_cannot_see_or_add_another_villages_visits(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 6, 1))
    session = session_on(COMMON)
    theirs = await make_household(monitoring, token_for, session, region=OTHER_VILLAGE)
    district = token_for("district", DISTRICT)
    paired = await pair(monitoring, district, theirs, cadre_user_id="77")
    body = {"visited_on": "2024-05-20", "cadre": "某干部", **FINDINGS}
    visit = await monitoring.post(f"/households/{theirs}/visits", json=body, headers=district)
    mine = token_for("village", VILLAGE)
    assert (await monitoring.post(f"/households/{theirs}/visits", json=body, headers=mine)).status_code == 404
    assert (await monitoring.get(f"/households/{theirs}/visits", headers=mine)).status_code == 404
    assert (await monitoring.get(f"/visits/{visit.json()['id']}", headers=mine)).status_code == 404
    assert (await monitoring.get("/visits", headers=mine)).json()["items"] == []
    assert (await monitoring.get(f"/pairings/{paired.json()['id']}", headers=mine)).status_code == 404
    assert (await pair(monitoring, mine, theirs, cadre_user_id="99")).status_code == 404
    end = await monitoring.post(
        f"/pairings/{paired.json()['id']}/end", json={"until": "2024-05-31"}, headers={**mine, "If-Match": '"1"'}
    )
    assert end.status_code == 404
    assert await count(session, Visit) == 1


async def test_a_cadre_reads_the_households_paired_with_them_and_no_others(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 6, 1))
    session = session_on(COMMON)
    mine = await make_household(monitoring, token_for, session)
    other = await make_household(monitoring, token_for, session)
    village = token_for("village", VILLAGE)
    assert (await pair(monitoring, village, mine, cadre_user_id="77")).status_code == 201
    assert (await pair(monitoring, village, other, cadre_user_id="78")).status_code == 201
    cadre = token_for("cadre", VILLAGE, subject="77")

    detail = await monitoring.get(f"/paired-households/{mine}", headers=cadre)
    assert detail.status_code == 200
    assert detail.json()["members"]
    assert (await monitoring.get(f"/paired-households/{other}", headers=cadre)).status_code == 404
    listed = await monitoring.get("/paired-households", headers=cadre)
    assert [h["id"] for h in listed.json()["items"]] == [mine]
    assert (await monitoring.get(f"/households/{mine}", headers=cadre)).status_code == 403
    staff = await monitoring.get("/paired-households", headers=village)
    assert sorted(h["id"] for h in staff.json()["items"]) == sorted([mine, other])


async def test_a_pairing_made_with_the_subject_the_api_shows_works(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    """The API shows people as `user:<id>` (audit actor, recorded_by): a pairing given that form, or the bare id,
    reaches the cadre signing in with that id, and shows the one form back."""
    set_today(monitoring_app, date(2024, 6, 1))
    session = session_on(COMMON)
    shown = await make_household(monitoring, token_for, session)
    bare = await make_household(monitoring, token_for, session)
    village = token_for("village", VILLAGE)
    made = await pair(monitoring, village, shown, cadre_user_id="user:4")
    assert made.status_code == 201
    assert made.json()["cadre_user_id"] == "user:4"
    assert (await pair(monitoring, village, bare, cadre_user_id="4")).json()["cadre_user_id"] == "user:4"

    cadre = token_for("cadre", VILLAGE, subject="4", name="王干部")
    listed = await monitoring.get("/paired-households", headers=cadre)
    assert sorted(h["id"] for h in listed.json()["items"]) == sorted([shown, bare])
    body = {"visited_on": "2024-05-20", **FINDINGS}
    visit = await monitoring.post(f"/households/{shown}/visits", json=body, headers=cadre)
    assert visit.status_code == 201
    assert visit.json()["cadre_user_id"] == "user:4"
    for form in ("user:4", "4"):
        found = await monitoring.get("/pairings", params={"cadre_user_id": form}, headers=village)
        assert len(found.json()["items"]) == 2
        visits = await monitoring.get("/visits", params={"cadre_user_id": form}, headers=village)
        assert [v["household_id"] for v in visits.json()["items"]] == [shown]
    assert (await pair(monitoring, village, shown, cadre_user_id="key:abc")).status_code == 422
