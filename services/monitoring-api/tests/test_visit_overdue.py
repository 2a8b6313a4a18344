"""Overdue visits: monthly for subjects, every two months for other lifted households, counted per cadre/village/town.

Definition under test: due_on = last visit + cadence months; overdue from the day after due_on.
"""

from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings
from monitoring_api.visits import repository

from .test_measure_helpers import Sessions, Tokens, make_household, set_today


async def _visit(client: httpx.AsyncClient, tokens: Tokens, household_id: int, on: str) -> None:
    body = {"visited_on": on, "cadre": "王干部", "findings": "正常"}
    response = await client.post(f"/households/{household_id}/visits", json=body, headers=tokens("district", DISTRICT))
    assert response.status_code == 201, response.text


async def _overdue(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = await client.get("/visits/overdue", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _ids(listing: dict[str, Any]) -> set[int]:
    return {item["household_id"] for item in listing["items"]}


async def test_subjects_are_overdue_the_day_after_one_month(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 3, 10))
    subject = await make_household(monitoring, token_for, session_on(COMMON), included_on=date(2024, 1, 5))
    await _visit(monitoring, token_for, subject, "2024-03-10")
    headers = token_for("village", VILLAGE)
    set_today(monitoring_app, date(2024, 4, 10))
    assert subject not in _ids(await _overdue(monitoring, headers))
    set_today(monitoring_app, date(2024, 4, 11))
    [item] = (await _overdue(monitoring, headers))["items"]
    assert (item["household_id"], item["cadence_months"]) == (subject, 1)
    assert (item["last_visited_on"], item["due_on"]) == ("2024-03-10", "2024-04-10")


async def test_lifted_households_are_overdue_the_day_after_two_months(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 3, 10))
    session = session_on(COMMON)
    lifted = await make_household(monitoring, token_for, session, category="脱贫户")
    ordinary = await make_household(monitoring, token_for, session, category="一般农户")
    await _visit(monitoring, token_for, lifted, "2024-03-10")
    await _visit(monitoring, token_for, ordinary, "2023-01-01")
    headers = token_for("village", VILLAGE)
    set_today(monitoring_app, date(2024, 5, 10))
    assert _ids(await _overdue(monitoring, headers)) == set()
    set_today(monitoring_app, date(2024, 5, 11))
    [item] = (await _overdue(monitoring, headers))["items"]
    assert (item["household_id"], item["cadence_months"], item["due_on"]) == (lifted, 2, "2024-05-10")

    monitoring_app.state.ctx.settings.rules = RuleSettings(visit_every_months_lifted=3)
    assert _ids(await _overdue(monitoring, headers)) == set()
    monitoring_app.state.ctx.settings.rules = RuleSettings(visit_every_months_subject=2, visit_every_months_lifted=1)
    set_today(monitoring_app, date(2024, 4, 11))
    assert _ids(await _overdue(monitoring, headers)) == {lifted}


async def test_month_ends_and_households_never_visited(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 1, 31))
    session = session_on(COMMON)
    end_of_month = await make_household(monitoring, token_for, session, included_on=date(2023, 6, 1))
    await _visit(monitoring, token_for, end_of_month, "2024-01-31")
    never = await make_household(monitoring, token_for, session, included_on=date(2023, 6, 1))
    set_today(monitoring_app, date(2024, 2, 1))
    paired = await monitoring.post(
        "/pairings",
        json={"household_id": never, "cadre_user_id": "77", "since": "2024-02-01"},
        headers=token_for("district", DISTRICT),
    )
    assert paired.status_code == 201
    headers = token_for("village", VILLAGE)
    set_today(monitoring_app, date(2024, 2, 29))
    assert _ids(await _overdue(monitoring, headers)) == set()
    set_today(monitoring_app, date(2024, 3, 1))
    assert _ids(await _overdue(monitoring, headers)) == {end_of_month}  # 31 Jan + 1 month = 29 Feb
    set_today(monitoring_app, date(2024, 3, 2))
    listing = await _overdue(monitoring, headers)
    assert _ids(listing) == {end_of_month, never}  # never visited: counted from the pairing's start
    never_item = next(i for i in listing["items"] if i["household_id"] == never)
    assert (never_item["last_visited_on"], never_item["due_on"], never_item["cadre_user_id"]) == (
        None,
        "2024-03-01",
        "user:77",
    )


async def test_overdue_counts_per_cadre_village_and_town(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 2, 20))
    session = session_on(COMMON)
    district = token_for("district", DISTRICT)
    homes = {
        "a": await make_household(monitoring, token_for, session),
        "b": await make_household(monitoring, token_for, session),
        "c": await make_household(monitoring, token_for, session, region=OTHER_VILLAGE),
        "d": await make_household(monitoring, token_for, session, region=OTHER_TOWN_VILLAGE),
        "fresh": await make_household(monitoring, token_for, session),
    }
    for key, household_id in homes.items():
        await _visit(monitoring, token_for, household_id, "2024-01-10" if key != "fresh" else "2024-02-20")
    for key, cadre in (("a", "77"), ("b", "77"), ("c", "88")):
        body = {"household_id": homes[key], "cadre_user_id": cadre, "cadre_name": f"干部{cadre}", "since": "2024-01-01"}
        assert (await monitoring.post("/pairings", json=body, headers=district)).status_code == 201
    set_today(monitoring_app, date(2024, 3, 1))

    by_cadre = await _overdue(monitoring, district, group_by="cadre")
    assert by_cadre["group_by"] == "cadre"
    assert [(c["key"], c["name"], c["count"]) for c in by_cadre["counts"]] == [
        ("user:77", "干部77", 2),
        ("user:88", "干部88", 1),
        (None, "未结对", 1),
    ]
    by_village = await _overdue(monitoring, district, group_by="village")
    assert {(c["key"], c["name"], c["count"]) for c in by_village["counts"]} == {
        (VILLAGE, "谢岗村", 2),
        (OTHER_VILLAGE, "谢圩村", 1),
        (OTHER_TOWN_VILLAGE, "曾坝村", 1),
    }
    by_town = await _overdue(monitoring, district, group_by="town", limit="1")
    assert [(c["key"], c["name"], c["count"]) for c in by_town["counts"]] == [
        (TOWN, "潭口镇", 3),
        ("360702192000", "潭东镇", 1),
    ]
    assert len(by_town["items"]) == 1 and by_town["next_cursor"]  # counts cover the scope, not the page
    town_only = await _overdue(monitoring, token_for("town", TOWN), group_by="village")
    assert {c["key"] for c in town_only["counts"]} == {VILLAGE, OTHER_VILLAGE}
    assert _ids(await _overdue(monitoring, district, region_code=OTHER_VILLAGE)) == {homes["c"]}
    assert (await _overdue(monitoring, district))["counts"] is None

    cadre = await _overdue(monitoring, token_for("cadre", DISTRICT, subject="77"), group_by="village")
    assert _ids(cadre) == {homes["a"], homes["b"]}
    assert [(c["key"], c["count"]) for c in cadre["counts"]] == [(VILLAGE, 2)]
    assert await repository.count_overdue_visits(session, "360702", date(2024, 3, 1), RuleSettings()) == 4
    assert await repository.count_overdue_visits(session, "360702191", date(2024, 3, 1), RuleSettings()) == 3
    bad = await monitoring.get("/visits/overdue", params={"group_by": "province"}, headers=district)
    assert bad.status_code == 422
