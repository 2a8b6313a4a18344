"""Twin uploads of one part at the same moment, each on its own connection with real commits: the part is staged
once; the twin with the same bytes is answered as a resend, the twin with other bytes is refused."""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from dixian_shared.app import build_context
from monitoring_api.app import create_app
from monitoring_api.deps import get_today
from monitoring_api.models import COMMON
from monitoring_api.sector.models import BatchPart, staged_row
from monitoring_api.settings import MonitoringSettings

from .test_sector_helpers import CSV, TODAY, csv_bytes, department_key, pid

SECTOR = "monitoring.sector_batch, monitoring.sector_batch_part, monitoring.sector_row, monitoring.sector_row_error"


@pytest.fixture
async def live(service_settings, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """monitoring-api on its own pool, committing for real; what the test wrote is truncated afterwards."""
    settings = service_settings(MonitoringSettings)
    ctx = build_context(settings, COMMON)
    app: FastAPI = create_app(settings, ctx)
    app.dependency_overrides[get_today] = lambda: TODAY
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://monitoring") as client:
            yield client
    finally:
        await ctx.engine.dispose()
        await ctx.redis.aclose()
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {SECTOR}, monitoring.audit_log, identity.api_key CASCADE"))


def _rows(n: int, name: str) -> list[dict[str, str]]:
    return [{"id_number": pid(), "name": name, "scheme": "城乡居民基本医疗保险"} for _ in range(n)]


async def _count(engine: AsyncEngine, batch_id: int) -> tuple[int, int]:
    async with engine.connect() as conn:
        parts = await conn.scalar(select(func.count()).select_from(BatchPart).where(BatchPart.batch_id == batch_id))
        rows = await conn.scalar(select(func.count()).select_from(staged_row).where(staged_row.c.batch_id == batch_id))
    return int(parts or 0), int(rows or 0)


@pytest.mark.parametrize(("same_bytes", "twin_status"), [(True, 200), (False, 409)])
async def test_twin_uploads_of_one_part_stage_it_once(
    live: httpx.AsyncClient,
    engine: AsyncEngine,
    committed: async_sessionmaker[AsyncSession],
    same_bytes: bool,
    twin_status: int,
) -> None:
    key = await department_key(lambda _tables: committed(), "medical_enrolment")
    opened = {"data_type": "medical_enrolment", "period": "2024-06", "department_batch_id": f"TWIN-{same_bytes}"}
    batch_id = (await live.post("/batches", json=opened, headers=key)).json()["id"]
    first = csv_bytes(_rows(20_000, "孙七"))
    second = first if same_bytes else csv_bytes(_rows(20_000, "周八"))
    assert (first == second) == same_bytes

    async def put(body: bytes) -> httpx.Response:
        async def pieces() -> AsyncIterator[bytes]:
            for start in range(0, len(body), 1 << 16):  # streamed, so that the two interleave
                yield body[start : start + (1 << 16)]
                await asyncio.sleep(0)

        return await live.put(f"/batches/{batch_id}/parts/1", content=pieces(), headers={**key, **CSV})

    responses = await asyncio.gather(put(first), put(second))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == sorted([201, twin_status]), [r.text for r in responses]
    assert await _count(engine, batch_id) == (1, 20_000)
