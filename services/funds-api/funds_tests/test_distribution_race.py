"""Two distributions racing for the last of an asset's income, each on its own connection with real commits: one is
made, the other is refused with the rule named, and the income is never over-distributed."""

import asyncio
from datetime import date

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from .conftest import Clock, Staff
from .helpers import approved_project, until_waiting_on_locks
from .test_assets import asset


async def test_two_distributions_race_for_the_last_of_an_income(
    live: tuple[httpx.AsyncClient, Clock], engine: AsyncEngine, staff: Staff
) -> None:
    funds, clock = live
    project = await approved_project(funds, staff, clock)
    clock.today = date(2026, 4, 1)
    completion = {"completed_on": "2026-03-20", "assets": [asset()]}
    done = await funds.post(f"/projects/{project['id']}/completion", json=completion, headers=staff.town)
    assert done.status_code == 200, done.text
    asset_id = (await funds.get("/assets", params={"project_id": project["id"]}, headers=staff.village)).json()
    income = await funds.post(
        f"/assets/{asset_id['items'][0]['id']}/income",
        json={"received_on": "2026-03-31", "amount": "100.00", "source": "发电收益"},
        headers=staff.village,
    )
    assert income.status_code == 201, income.text
    path = f"/asset-income/{income.json()['id']}/distributions"
    body = {"distributed_on": "2026-04-01", "group": "特殊群体", "purpose": "公益岗位工资", "amount": "60.00"}

    # Hold the income's row from a third connection so that both requests wait inside their transactions.
    async with engine.connect() as holder:
        await holder.execute(
            text("SELECT 1 FROM funds.asset_income WHERE id = :id FOR UPDATE"), {"id": income.json()["id"]}
        )
        racers = asyncio.gather(
            funds.post(path, json=body, headers=staff.village), funds.post(path, json=body, headers=staff.village)
        )
        await until_waiting_on_locks(engine)
        await holder.rollback()
        responses = await racers

    assert sorted(r.status_code for r in responses) == [201, 422], [r.text for r in responses]
    assert next(r for r in responses if r.status_code == 422).json()["rule"] == "distribution-within-income"
    async with engine.connect() as conn:
        total = await conn.scalar(
            text("SELECT sum(amount) FROM funds.asset_income_distribution WHERE income_id = :id"),
            {"id": income.json()["id"]},
        )
    assert str(total) == "60.00"
