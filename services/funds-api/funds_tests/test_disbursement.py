"""Disbursement rate (paid / allocated) as of any day, against ≥ 50% by 30 June and ≥ 75% by 30 September:
one definition, the same answer in every rollup."""

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI

from conftest import OTHER_TOWN_VILLAGE, TOWN
from funds_api.rules import DisbursementRules, FundsRules, Milestone, MonthDay

from .conftest import Clock, Staff
from .helpers import allocate, approved_in_other_town, approved_project, create_source, pay

TOWN_2 = OTHER_TOWN_VILLAGE[:9] + "000"


async def two_projects(funds: httpx.AsyncClient, staff: Staff, clock: Clock, paid_first: str) -> dict[str, Any]:
    """Project A in 潭口镇 (区农办) and B in 潭东镇 (区住建局), 1000.00 each allocated from one central source.
    A is paid `paid_first` by 30 June and 200.00 more on 5 July; B is paid 800.00 by 30 June."""
    a = await approved_project(funds, staff, clock)
    b = await approved_in_other_town(funds, staff, clock)
    source = await create_source(funds, staff.finance)
    alloc_a = await allocate(funds, staff.finance, source, a, "1000.00", clock.today)
    alloc_b = await allocate(funds, staff.finance, source, b, "1000.00", clock.today)
    clock.today = date(2026, 7, 5)
    assert (await pay(funds, staff.finance, alloc_a, paid_first, date(2026, 6, 30))).status_code == 201
    assert (await pay(funds, staff.finance, alloc_a, "200.00", date(2026, 7, 5))).status_code == 201
    assert (await pay(funds, staff.finance, alloc_b, "800.00", date(2026, 6, 1))).status_code == 201
    return {"a": a, "b": b, "source": source}


async def rollup(funds: httpx.AsyncClient, staff: Staff, level: str, as_of: str) -> dict[str, Any]:
    response = await funds.get(f"/disbursement/by-{level}?as_of={as_of}", headers=staff.district)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def row(result: dict[str, Any], key: str) -> dict[str, Any]:
    return next(r for r in result["rows"] if r["key"] == key)


async def lagging_ids(funds: httpx.AsyncClient, staff: Staff, as_of: str, flag: str = "lagging") -> list[int]:
    page = (await funds.get(f"/disbursement/projects?as_of={as_of}&{flag}=true", headers=staff.district)).json()
    return [p["project_id"] for p in page["items"]]


async def test_just_below_half_on_30_june_lags_in_every_rollup(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    made = await two_projects(funds, staff, clock, paid_first="499.99")
    on = "2026-06-30"
    by_town = await rollup(funds, staff, "town", on)
    assert by_town["target"]["min_rate"] == "0.50" and by_town["target"]["nominal_deadline"] == on
    assert by_town["passed"] is None
    assert (row(by_town, TOWN)["rate"], row(by_town, TOWN)["lagging"], row(by_town, TOWN)["meets_target"]) == (
        "0.5000",  # rounded for display; the rule compares exactly: 499.99 < 500.00
        1,
        False,
    )
    assert (row(by_town, TOWN_2)["lagging"], row(by_town, TOWN_2)["meets_target"]) == (0, True)
    by_department = await rollup(funds, staff, "department", on)
    assert (row(by_department, "区农办")["lagging"], row(by_department, "区住建局")["lagging"]) == (1, 0)
    by_source = await rollup(funds, staff, "fund-source", on)
    only = row(by_source, str(made["source"]["id"]))
    assert (only["allocated"], only["paid"], only["lagging"], only["meets_target"]) == ("2000.00", "1299.99", 1, True)
    assert by_town["total"]["lagging"] == 1 and by_town["total"]["paid"] == "1299.99"
    assert await lagging_ids(funds, staff, on) == [made["a"]["id"]]


async def test_exactly_half_on_30_june_meets_the_milestone(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    await two_projects(funds, staff, clock, paid_first="500.00")
    by_town = await rollup(funds, staff, "town", "2026-06-30")
    assert (row(by_town, TOWN)["rate"], row(by_town, TOWN)["lagging"], by_town["total"]["lagging"]) == ("0.5000", 0, 0)
    assert await lagging_ids(funds, staff, "2026-06-30") == []


async def test_after_30_june_a_shortfall_is_missed_and_75_is_in_view(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    made = await two_projects(funds, staff, clock, paid_first="499.99")
    by_town = await rollup(funds, staff, "town", "2026-07-01")
    assert (by_town["target"]["min_rate"], by_town["passed"]["min_rate"]) == ("0.75", "0.50")
    # On 1 July project A (49.999%) has missed 30 June; both are short of 75% (B has 80%).
    assert (row(by_town, TOWN)["missed"], row(by_town, TOWN)["lagging"], row(by_town, TOWN_2)["lagging"]) == (1, 1, 0)
    assert await lagging_ids(funds, staff, "2026-07-01", "missed") == [made["a"]["id"]]
    # The payment of 5 July counts from 5 July on: as of then A has 69.999%.
    project = (await funds.get("/disbursement/projects?as_of=2026-07-05", headers=staff.district)).json()["items"][0]
    assert (project["paid"], project["rate"], project["lagging"], project["missed"]) == (
        "699.99",
        "0.7000",
        True,
        False,
    )


async def test_on_30_september_75_percent_is_needed(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    made = await two_projects(funds, staff, clock, paid_first="550.00")
    # A has 750.00 of 1000.00 (75%) from 5 July on; B has 80%.
    by_department = await rollup(funds, staff, "department", "2026-09-30")
    assert by_department["target"]["min_rate"] == "0.75"
    assert (row(by_department, "区农办")["lagging"], by_department["total"]["lagging"]) == (0, 0)
    clock.today = date(2026, 9, 20)
    source = made["source"]
    c = await approved_project(funds, staff, clock)
    clock.today = date(2026, 9, 30)
    await allocate(funds, staff.finance, source, c, "1000.00", date(2026, 9, 30))
    by_department = await rollup(funds, staff, "department", "2026-09-30")
    assert (row(by_department, "区农办")["lagging"], row(by_department, "区农办")["rate"]) == (1, "0.3750")
    assert await lagging_ids(funds, staff, "2026-10-08") == [c["id"]]


async def test_the_milestones_are_configuration(
    funds_app: FastAPI, funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    await two_projects(funds, staff, clock, paid_first="450.00")
    assert (await rollup(funds, staff, "town", "2026-06-30"))["total"]["lagging"] == 1
    funds_app.state.ctx.settings.rules = FundsRules(
        disbursement=DisbursementRules(
            milestones=[
                Milestone(due=MonthDay(month=6, day=30), min_rate=Decimal("0.45")),
                Milestone(due=MonthDay(month=9, day=30), min_rate=Decimal("0.90")),
            ]
        )
    )
    assert (await rollup(funds, staff, "town", "2026-06-30"))["total"]["lagging"] == 0
    assert (await rollup(funds, staff, "town", "2026-07-01"))["total"]["lagging"] == 2  # both short of 90%


async def test_a_town_sees_its_own_projects_only(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    made = await two_projects(funds, staff, clock, paid_first="499.99")
    mine = (await funds.get("/disbursement/by-town?as_of=2026-06-30", headers=staff.town)).json()
    assert [r["key"] for r in mine["rows"]] == [TOWN]
    assert mine["total"]["allocated"] == "1000.00"
    page = (await funds.get("/disbursement/projects?as_of=2026-06-30", headers=staff.village)).json()
    assert [p["project_id"] for p in page["items"]] == [made["a"]["id"]]
