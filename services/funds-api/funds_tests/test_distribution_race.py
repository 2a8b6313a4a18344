"""Two distributions racing for the last of an asset's income, each on its own connection with real commits: one is
made, the other is refused with the rule named, and the income is never over-distributed."""

import asyncio
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from dixian_shared.app import build_context
from funds_api.app import create_app
from funds_api.deps import get_today
from funds_api.models import COMMON
from funds_api.settings import FundsSettings

from .conftest import Clock, Staff
from .helpers import approved_project
from .test_assets import asset


@pytest.fixture
async def live(service_settings, engine: AsyncEngine) -> AsyncIterator[tuple[httpx.AsyncClient, Clock]]:  # type: ignore[no-untyped-def]
    """funds-api on its own pool, committing for real; what the test wrote is truncated afterwards."""
    settings = service_settings(FundsSettings)
    ctx = build_context(settings, COMMON)
    app: FastAPI = create_app(settings, ctx)
    clock = Clock(date(2026, 3, 2))
    app.dependency_overrides[get_today] = lambda: clock.today
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://funds") as client:
            yield client, clock
    finally:
        await ctx.engine.dispose()
        await ctx.redis.aclose()
        async with engine.begin() as conn:
            # Everything that hangs off the project (its steps, assets, their income) goes with it.
            await conn.execute(text("TRUNCATE funds.project, funds.audit_log, funds.idempotency_key CASCADE"))


async def _waiting_on_locks(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        return int(await conn.scalar(text(query)) or 0)


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
        for _ in range(300):
            if await _waiting_on_locks(engine) >= 2:
                break
            await asyncio.sleep(0.02)
        assert await _waiting_on_locks(engine) >= 2
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
