"""GET /deadlines reports the disbursement milestones and next year's library per town and for the district, from the
same standing, rollups and library state as every other view, on the working-day calendar."""

from datetime import date
from typing import Any

import httpx

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, TOWN

from .conftest import Clock, Staff
from .funds_support import Sessions, service_key
from .helpers import declare
from .test_disbursement import two_projects

TOWN_2 = OTHER_TOWN_VILLAGE[:9] + "000"


async def deadlines(funds: httpx.AsyncClient, headers: dict[str, str], on: str, kind: str, **params: Any) -> list[dict]:  # type: ignore[type-arg]
    response = await funds.get("/deadlines", params={"on": on, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return [i for i in response.json()["items"] if i["kind"] == kind]


def brief(items: list[dict]) -> list[tuple]:  # type: ignore[type-arg]
    return sorted((i["region_code"], i["level"], i["state"], i["count"], i["nominal_deadline"]) for i in items)


async def test_milestones_upcoming_then_missed(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, session_on: Sessions
) -> None:
    await two_projects(funds, staff, clock, paid_first="499.99")
    key = {"X-API-Key": await service_key(session_on, "deadlines")}
    kind = "funds.disbursement_milestone"
    upcoming = await deadlines(funds, key, "2026-06-20", kind, horizon_days=14)
    assert brief(upcoming) == [
        (DISTRICT, "district", "upcoming", 1, "2026-06-30"),
        (TOWN, "town", "upcoming", 1, "2026-06-30"),
    ]
    assert upcoming[0]["link"].startswith("/disbursement/projects?lagging=true&region_code=")
    assert await deadlines(funds, key, "2026-06-10", kind, horizon_days=14) == []  # 30 June is beyond the horizon
    missed = await deadlines(funds, key, "2026-07-01", kind, horizon_days=14)
    assert brief(missed) == [
        (DISTRICT, "district", "overdue", 1, "2026-06-30"),
        (TOWN, "town", "overdue", 1, "2026-06-30"),
    ]
    mine = await deadlines(funds, key, "2026-07-01", kind, region_code=TOWN_2)
    assert mine == []


async def test_exactly_half_passes_june_and_70_percent_misses_september(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    await two_projects(funds, staff, clock, paid_first="500.00")
    assert await deadlines(funds, staff.district, "2026-07-01", "funds.disbursement_milestone") == []
    # A reached 70% (500.00 + 200.00 on 5 July) and stopped: on 8 October it has missed 75% by 30 September; B has 80%.
    missed = await deadlines(funds, staff.district, "2026-10-08", "funds.disbursement_milestone")
    assert brief(missed) == [
        (DISTRICT, "district", "overdue", 1, "2026-09-30"),
        (TOWN, "town", "overdue", 1, "2026-09-30"),
    ]


async def test_next_years_library_per_town(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    clock.today = date(2026, 7, 15)
    await declare(funds, staff.village, year=2027)
    kind = "funds.project_library"
    assert await deadlines(funds, staff.district, "2026-10-01", kind, horizon_days=14) == []
    upcoming = await deadlines(funds, staff.district, "2026-10-20", kind, horizon_days=14)
    assert brief(upcoming) == [
        (TOWN, "town", "upcoming", 1, "2026-10-31"),
        (TOWN_2, "town", "upcoming", 0, "2026-10-31"),
        ("360702400000", "town", "upcoming", 0, "2026-10-31"),
    ]
    assert {i["effective_deadline"] for i in upcoming} == {"2026-10-30"}
    assert all(i["non_working_day"] for i in upcoming)
    overdue = await deadlines(funds, staff.district, "2026-10-31", kind)
    assert {i["state"] for i in overdue} == {"overdue"} and len(overdue) == 3
    assert await deadlines(funds, staff.district, "2026-06-30", kind) == []
    assert (await funds.get("/deadlines", headers=staff.town)).status_code == 403
