"""Two payments racing for the last of an allocation, each on its own connection with real commits: one is paid,
the other is refused with the rule named, and the allocation is never overdrawn."""

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
from .helpers import allocate, approved_project, create_source, pay

FUNDS = (
    "funds.payment, funds.allocation, funds.project_change, funds.project_review, funds.project_step, funds.project,"
    " funds.fund_source, funds.audit_log, funds.idempotency_key"
)


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
            await conn.execute(text(f"TRUNCATE {FUNDS} CASCADE"))


async def _waiting_on_locks(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        return int(await conn.scalar(text(query)) or 0)


async def test_two_payments_race_for_the_last_of_an_allocation(
    live: tuple[httpx.AsyncClient, Clock], engine: AsyncEngine, staff: Staff
) -> None:
    funds, clock = live
    project = await approved_project(funds, staff, clock)
    source = await create_source(funds, staff.finance)
    allocation = await allocate(funds, staff.finance, source, project, "100.00", clock.today)
    assert (await pay(funds, staff.finance, allocation, "40.00", clock.today)).status_code == 201

    # Hold the allocation's row from a third connection so that both requests are inside their transactions,
    # queued on the row, before either may go on: a real race, not one request after the other.
    async with engine.connect() as holder:
        await holder.execute(text("SELECT 1 FROM funds.allocation WHERE id = :id FOR UPDATE"), {"id": allocation["id"]})
        racers = asyncio.gather(
            pay(funds, staff.finance, allocation, "60.00", clock.today),
            pay(funds, staff.finance, allocation, "60.00", clock.today),
        )
        for _ in range(200):
            if await _waiting_on_locks(engine) >= 2:
                break
            await asyncio.sleep(0.02)
        assert await _waiting_on_locks(engine) >= 2
        await holder.rollback()
        responses = await racers

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 422], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 422)
    assert refused.json()["rule"] == "payment-within-allocation"
    async with engine.connect() as conn:
        paid, payments, ledger = (
            await conn.execute(
                text(
                    "SELECT a.paid, (SELECT count(*) FROM funds.payment p WHERE p.allocation_id = a.id),"
                    " (SELECT sum(amount) FROM funds.payment p WHERE p.allocation_id = a.id)"
                    " FROM funds.allocation a WHERE a.id = :id"
                ),
                {"id": allocation["id"]},
            )
        ).one()
    assert (str(paid), payments, str(ledger)) == ("100.00", 2, "100.00")
