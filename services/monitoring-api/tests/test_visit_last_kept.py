"""household.last_visited_on, which the visit cadence reads, never drifts from the visits themselves: a visit recorded,
an older one added, a bulk insert, a correction of its date or household, a deletion, a household's records moving
village. Kept by the visit table's triggers (migration m11_household_last_visit)."""

from datetime import date

import httpx
from fastapi import FastAPI
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_VILLAGE, VILLAGE
from monitoring_api.households import repository as households
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON
from monitoring_api.visits.models import Visit

from .test_measure_helpers import Sessions, Tokens, make_household, set_today


async def _visit(client: httpx.AsyncClient, tokens: Tokens, household_id: int, on: str) -> int:
    body = {"visited_on": on, "cadre": "王干部", "findings": "正常"}
    response = await client.post(f"/households/{household_id}/visits", json=body, headers=tokens("district", DISTRICT))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _kept(session: AsyncSession, *ids: int) -> list[date | None]:
    """Each household's kept last visit, after checking that it is the latest of its visits."""
    latest = select(func.max(Visit.visited_on)).where(Visit.household_id == Household.id).scalar_subquery()
    rows = (
        await session.execute(
            select(Household.last_visited_on, latest).where(Household.id.in_(ids)).order_by(Household.id)
        )
    ).all()
    assert [kept for kept, _ in rows] == [counted for _, counted in rows]
    return [kept for kept, _ in rows]


async def test_the_last_visit_follows_every_visit_written_corrected_or_deleted(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 6, 1))
    session = session_on(COMMON)
    first = await make_household(monitoring, token_for, session)
    second = await make_household(monitoring, token_for, session, category="脱贫户")
    assert await _kept(session, first, second) == [None, None]

    latest = await _visit(monitoring, token_for, first, "2024-05-20")
    await _visit(monitoring, token_for, first, "2024-04-02")  # an older visit entered late changes nothing
    assert await _kept(session, first, second) == [date(2024, 5, 20), None]

    # A bulk insert (one statement for both households, several visits each).
    rows = [
        (first, date(2024, 5, 25)),
        (first, date(2024, 5, 1)),
        (second, date(2024, 3, 3)),
        (second, date(2024, 3, 9)),
    ]
    await session.execute(
        insert(Visit),
        [
            {
                "household_id": h,
                "region_code": VILLAGE,
                "cadre_name": "李干部",
                "visited_on": d,
                "findings": "正常",
                "version": 1,
            }
            for h, d in rows
        ],
    )
    assert await _kept(session, first, second) == [date(2024, 5, 25), date(2024, 3, 9)]

    # A correction of the date, down and up; then of the household it belongs to.
    await session.execute(
        update(Visit)
        .where(Visit.household_id == first, Visit.visited_on == date(2024, 5, 25))
        .values(visited_on=date(2024, 1, 1))
    )
    assert await _kept(session, first, second) == [date(2024, 5, 20), date(2024, 3, 9)]
    await session.execute(update(Visit).where(Visit.id == latest).values(household_id=second))
    assert await _kept(session, first, second) == [date(2024, 5, 1), date(2024, 5, 20)]
    # An edit that touches neither leaves both alone.
    await session.execute(update(Visit).where(Visit.household_id == second).values(findings="已核实"))
    assert await _kept(session, first, second) == [date(2024, 5, 1), date(2024, 5, 20)]

    # Deletions: the latest, then every visit of a household.
    await session.execute(delete(Visit).where(Visit.id == latest))
    assert await _kept(session, first, second) == [date(2024, 5, 1), date(2024, 3, 9)]
    await session.execute(delete(Visit).where(Visit.household_id == first))
    assert await _kept(session, first, second) == [None, date(2024, 3, 9)]

    # The overdue list reads the kept date.
    listed = await monitoring.get("/visits/overdue", headers=token_for("village", VILLAGE))
    assert {item["household_id"]: item["last_visited_on"] for item in listed.json()["items"]}[second] == "2024-03-09"


async def test_a_household_moving_village_keeps_its_last_visit(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 6, 1))
    session = session_on(COMMON)
    moving = await make_household(monitoring, token_for, session)
    await _visit(monitoring, token_for, moving, "2024-05-20")
    moved = await households.move_household_records(session, moving, OTHER_VILLAGE)
    assert moved["visit"] == 1
    assert await _kept(session, moving) == [date(2024, 5, 20)]
