"""Deaths and departures: recorded on the member's row (never deleted), the ID number freed, the member frozen."""

from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import OTHER_VILLAGE, VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.households.models import Member
from monitoring_api.models import COMMON

from .helpers import household, member, person_id

Tokens = Callable[..., dict[str, str]]
TODAY = date(2024, 6, 10)


@pytest.fixture(autouse=True)
def fixed_today(monitoring_app: FastAPI) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY


async def _create(client: httpx.AsyncClient, headers: dict[str, str], *people: dict[str, Any]) -> Any:
    response = await client.post("/households", json=household(VILLAGE, list(people)), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_death_keeps_the_row_and_frees_the_id_number(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    grandfather = person_id("19400101")
    created = await _create(monitoring, headers, member(), member(id_number=grandfather, relation="之父"))
    dead_id = created["members"][1]["id"]

    response = await monitoring.post(
        f"/members/{dead_id}/death", json={"died_on": "2024-03-05", "note": "病故"}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    shown = (await monitoring.get(f"/members/{dead_id}", headers=headers)).json()
    assert (shown["status"], shown["status_date"], shown["status_note"]) == ("死亡", "2024-03-05", "病故")
    assert shown["id_number"] == grandfather

    # The number no longer blocks the registry (a wrongly recorded person can be registered again) …
    again = await monitoring.post(
        "/households", json=household(VILLAGE, [member(id_number=grandfather)]), headers=headers
    )
    assert again.status_code == 201, again.text
    # … while the dead member's row stays, still 死亡, in its household.
    session = session_on(COMMON)
    rows = (await session.execute(select(Member.id, Member.status).where(Member.id_number == grandfather))).all()
    assert sorted((r.id, str(r.status)) for r in rows) == sorted(
        [(dead_id, "死亡"), (again.json()["members"][0]["id"], "正常")]
    )
    detail = (await monitoring.get(f"/households/{created['id']}", headers=headers)).json()
    assert [m["status"] for m in detail["members"]] == ["正常", "死亡"]
    assert detail["status"] == "正常"

    payloads = [r.payload for r in (await session.execute(select(COMMON.outbox))).all()]
    assert {"entity_id": dead_id, "action": "died"}.items() <= next(
        p for p in payloads if p["entity_id"] == dead_id and p["action"] == "died"
    ).items()


async def test_a_live_id_number_still_conflicts(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    headers = token_for("village", VILLAGE)
    number = person_id()
    created = await _create(monitoring, headers, member(id_number=number))
    await _create(monitoring, headers, member())
    conflict = await monitoring.post(
        "/households", json=household(VILLAGE, [member(id_number=number)]), headers=headers
    )
    assert conflict.status_code == 409
    assert str(created["members"][0]["id"]) in conflict.json()["detail"]


async def test_a_dead_or_departed_member_can_no_longer_change(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    created = await _create(monitoring, headers, member(), member(relation="之子"))
    target = await _create(monitoring, headers, member())
    gone_id = created["members"][1]["id"]
    left = await monitoring.post(
        f"/members/{gone_id}/departure", json={"departed_on": "2024-06-10", "note": "迁往广东"}, headers=headers
    )
    assert left.status_code == 200, left.text
    assert left.json()["status"] == "迁出"

    attempts = [
        monitoring.post(f"/members/{gone_id}/death", json={"died_on": "2024-06-10"}, headers=headers),
        monitoring.post(f"/members/{gone_id}/departure", json={"departed_on": "2024-06-10"}, headers=headers),
        monitoring.post(
            f"/members/{gone_id}/move",
            json={"to_household_id": target["id"], "moved_on": "2024-06-10"},
            headers=headers,
        ),
        monitoring.patch(f"/members/{gone_id}", json={"name": "改名"}, headers={**headers, "If-Match": '"2"'}),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 422, response.text
        assert response.json()["rule"] == "only-active-members-change"
    row = await session_on(COMMON).scalar(select(Member).where(Member.id == gone_id))
    assert (row.status, row.status_date, row.version) == ("迁出", date(2024, 6, 10), 2)


@pytest.mark.parametrize(
    ("path", "body", "rule", "field"),
    [
        ("death", {"died_on": "2024-06-11"}, "date-not-in-future", "body.died_on"),
        ("death", {"died_on": "1979-12-31"}, "date-not-before-birth", "body.died_on"),
        ("departure", {"departed_on": "2024-07-01"}, "date-not-in-future", "body.departed_on"),
        ("departure", {"departed_on": "1950-01-01"}, "date-not-before-birth", "body.departed_on"),
    ],
)
async def test_exit_dates_are_checked(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
    path: str,
    body: dict[str, str],
    rule: str,
    field: str,
) -> None:
    headers = token_for("village", VILLAGE)
    created = await _create(monitoring, headers, member(id_number=person_id("19800101")))
    member_id = created["members"][0]["id"]
    response = await monitoring.post(f"/members/{member_id}/{path}", json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert (response.json()["rule"], response.json()["errors"][0]["field"]) == (rule, field)
    status = await session_on(COMMON).scalar(select(Member.status).where(Member.id == member_id))
    assert status == "正常"


async def test_missing_date_is_a_validation_problem(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    headers = token_for("village", VILLAGE)
    created = await _create(monitoring, headers, member())
    response = await monitoring.post(f"/members/{created['members'][0]['id']}/death", json={}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.died_on"


async def test_the_last_death_dissolves_the_household(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    created = await _create(monitoring, headers, member())
    response = await monitoring.post(
        f"/members/{created['members'][0]['id']}/death", json={"died_on": "2024-06-01"}, headers=headers
    )
    assert response.status_code == 200
    detail = (await monitoring.get(f"/households/{created['id']}", headers=headers)).json()
    assert detail["status"] == "注销"
    assert detail["members"][0]["status"] == "死亡"
    payloads = [r.payload for r in (await session_on(COMMON).execute(select(COMMON.outbox))).all()]
    assert any(p["entity"] == "household" and p["action"] == "dissolved" for p in payloads)


async def test_exits_are_scoped_to_the_callers_village(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    theirs = await monitoring.post(
        "/households", json=household(OTHER_VILLAGE), headers=token_for("village", OTHER_VILLAGE)
    )
    member_id = theirs.json()["members"][0]["id"]
    mine = token_for("village", VILLAGE)
    death = await monitoring.post(f"/members/{member_id}/death", json={"died_on": "2024-06-01"}, headers=mine)
    departure = await monitoring.post(
        f"/members/{member_id}/departure", json={"departed_on": "2024-06-01"}, headers=mine
    )
    assert death.status_code == departure.status_code == 404
    count = await session_on(COMMON).scalar(select(func.count()).where(Member.status != "正常"))
    assert count == 0
    cadre = await monitoring.post(
        f"/members/{member_id}/death", json={"died_on": "2024-06-01"}, headers=token_for("cadre", OTHER_VILLAGE)
    )
    assert cadre.status_code == 403
