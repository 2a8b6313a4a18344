"""§7: central funds allocated to 产业 projects against ≥ 65% (configuration), with the projects behind it."""

from decimal import Decimal

import httpx
from fastapi import FastAPI

from funds_api.rules import FundsRules

from .conftest import Clock, Staff
from .helpers import allocate, approved_project, create_source


async def share(funds: httpx.AsyncClient, staff: Staff, year: int = 2026) -> dict:  # type: ignore[type-arg]
    response = await funds.get(f"/fund-sources/central-industry-share?year={year}", headers=staff.district)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def setup(funds: httpx.AsyncClient, staff: Staff, clock: Clock, industry_amount: str) -> dict:  # type: ignore[type-arg]
    industry = await approved_project(funds, staff, clock, budget="2000.00")
    road = await approved_project(funds, staff, clock, type="基础设施", budget="2000.00")
    central = await create_source(funds, staff.finance, amount="1000.00")
    provincial = await create_source(funds, staff.finance, level="省", amount="5000.00")
    await allocate(funds, staff.finance, central, industry, industry_amount, clock.today)
    await allocate(funds, staff.finance, central, road, "300.00", clock.today)
    await allocate(funds, staff.finance, provincial, industry, "1000.00", clock.today)  # not central: not counted
    return {"industry": industry, "road": road}


async def test_just_below_65_percent_is_not_met(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    made = await setup(funds, staff, clock, "649.99")
    result = await share(funds, staff)
    assert (result["central_total"], result["industry_allocated"], result["central_allocated"]) == (
        "1000.00",
        "649.99",
        "949.99",
    )
    assert (result["share"], result["min_share"], result["met"], result["shortfall"]) == (
        "0.6500",
        "0.65",
        False,
        "0.01",
    )
    assert [(p["project_id"], p["central_allocated"]) for p in result["projects"]] == [
        (made["industry"]["id"], "649.99")
    ]


async def test_65_percent_is_met(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    await setup(funds, staff, clock, "650.00")
    result = await share(funds, staff)
    assert (result["met"], result["shortfall"]) == (True, "0.00")
    assert (await share(funds, staff, 2025))["central_total"] == "0.00"


async def test_the_share_is_configuration(
    funds_app: FastAPI, funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    await setup(funds, staff, clock, "620.00")
    assert (await share(funds, staff))["met"] is False
    funds_app.state.ctx.settings.rules = FundsRules(central_industry_min_share=Decimal("0.60"))
    assert (await share(funds, staff))["met"] is True
