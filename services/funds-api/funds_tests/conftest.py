"""Fixtures of the funds tests: a movable clock, the staff of each level, and funds-api committing for real."""

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.app import build_context
from funds_api.app import create_app
from funds_api.deps import get_today
from funds_api.models import COMMON
from funds_api.settings import FundsSettings


@dataclass
class Clock:
    today: date


@pytest.fixture
def clock(funds_app: FastAPI) -> Iterator[Clock]:
    """Today as the funds app sees it; a test moves it by assigning clock.today."""
    current = Clock(date(2026, 3, 2))
    funds_app.dependency_overrides[get_today] = lambda: current.today
    yield current
    funds_app.dependency_overrides.pop(get_today, None)


@dataclass(frozen=True)
class Staff:
    village: dict[str, str]
    other_village: dict[str, str]
    other_town_village: dict[str, str]
    town: dict[str, str]
    other_town: dict[str, str]
    district: dict[str, str]
    finance: dict[str, str]


@pytest.fixture
def staff(token_for: Callable[..., dict[str, str]]) -> Staff:
    return Staff(
        village=token_for("village", VILLAGE, subject="v1"),
        other_village=token_for("village", OTHER_VILLAGE, subject="v2"),
        other_town_village=token_for("village", OTHER_TOWN_VILLAGE, subject="v3"),
        town=token_for("town", TOWN, subject="t1"),
        other_town=token_for("town", OTHER_TOWN_VILLAGE[:9] + "000", subject="t2"),
        district=token_for("district", DISTRICT, subject="d1"),
        finance=token_for("department", DISTRICT, subject="f1", name="区财政局"),
    )


@pytest.fixture
async def live(service_settings, engine: AsyncEngine) -> AsyncIterator[tuple[httpx.AsyncClient, Clock]]:  # type: ignore[no-untyped-def]
    """funds-api on its own pool, committing for real (the race tests); what the test wrote is truncated afterwards:
    every project and fund source with what hangs off them (steps, allocations, payments, assets, their income)."""
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
            await conn.execute(
                text("TRUNCATE funds.project, funds.fund_source, funds.audit_log, funds.idempotency_key CASCADE")
            )
