"""Concurrent requests that a rule lets only one of through, each on its own connection with real commits: exactly
one succeeds; the others are refused with the rule named, whether the service's check or the database constraint
behind it stopped them (a grant of the same subsidy; places in two public-welfare positions at once)."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from workforce_helpers import Tokens

from conftest import VILLAGE
from dixian_shared.app import build_context
from employment_api.app import create_app
from employment_api.deps import get_today
from employment_api.jobs.models import Occupancy
from employment_api.models import COMMON
from employment_api.roster.models import Labourer
from employment_api.settings import EmploymentSettings
from employment_api.subsidies.models import Subsidy

TABLES = (
    "employment.subsidy, employment.occupancy, employment.position, employment.labourer, employment.audit_log, "
    "employment.idempotency_key"
)


@pytest.fixture
async def live(service_settings, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """employment-api on its own pool, committing for real; what the test wrote is truncated afterwards."""
    settings = service_settings(EmploymentSettings)
    ctx = build_context(settings, COMMON)
    app: FastAPI = create_app(settings, ctx)
    app.dependency_overrides[get_today] = lambda: date(2026, 8, 10)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://employment") as client:
            yield client
    finally:
        await ctx.engine.dispose()
        await ctx.redis.aclose()
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {TABLES} CASCADE"))


async def committed_labourer(engine: AsyncEngine) -> int:
    async with AsyncSession(engine, expire_on_commit=False) as session:
        labourer = Labourer(
            member_id=1,
            household_id=1,
            region_code=VILLAGE,
            id_number="360702199001010011",
            name="刘一",
            sex="男",
            birth_date=date(1990, 1, 1),
            labour_skill="普通劳动力",
            household_category="脱贫户",
            member_status="正常",
            household_status="正常",
            qualifies=True,
            observed_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        session.add(labourer)
        await session.commit()
    return labourer.id


async def test_concurrent_grants_of_one_subsidy_grant_it_once(
    live: httpx.AsyncClient, engine: AsyncEngine, token_for: Tokens
) -> None:
    labourer_id = await committed_labourer(engine)
    body = {
        "labourer_id": labourer_id,
        "kind": "交通补贴",
        "period": "2026",
        "amount": "500.00",
        "granted_on": "2026-08-01",
        "granted_by": "区人社局",
    }
    headers = token_for("village", VILLAGE)
    responses = await asyncio.gather(*(live.post("/subsidies", json=body, headers=headers) for _ in range(6)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409, 409, 409], [r.text for r in responses]
    assert {r.json()["rule"] for r in responses if r.status_code == 409} == {"subsidy-once-per-person-kind-period"}
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(Subsidy)) == 1


async def test_concurrent_places_in_public_welfare_positions_place_one(
    live: httpx.AsyncClient, engine: AsyncEngine, token_for: Tokens
) -> None:
    labourer_id = await committed_labourer(engine)
    headers = token_for("village", VILLAGE)
    positions = []
    for n in range(6):
        body = {"kind": "公益性岗位", "name": f"保洁员{n}", "region_code": VILLAGE, "employer": "谢岗村委会",
                "opened_on": "2026-01-01"}  # fmt: skip
        created = await live.post("/positions", json=body, headers=headers)
        assert created.status_code == 201, created.text
        positions.append(created.json()["id"])
    place = {"labourer_id": labourer_id, "start_on": "2026-03-01"}
    responses = await asyncio.gather(
        *(live.post(f"/positions/{p}/occupancies", json=place, headers=headers) for p in positions)
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 422, 422, 422, 422, 422], [r.text for r in responses]
    assert {r.json()["rule"] for r in responses if r.status_code == 422} == {"one-public-welfare-position-at-a-time"}
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(Occupancy)) == 1
