"""PostgreSQL goes away under load: the service's backend connections are terminated (pg_terminate_backend, what a
restart or failover does to them) while writes and reads run. Every answer is a success or a 503 with Retry-After,
never a 500; once the database is back every request succeeds; a write is there whole (household, member, audit,
event) or not at all, and a client that retries its 503s under the same Idempotency-Key ends with each household
exactly once.
"""

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from conftest import DISTRICT, VILLAGE
from dixian_shared import idnumber
from monitoring_api.app import create_app
from monitoring_api.settings import MonitoringSettings

pytestmark = pytest.mark.slow  # ~15-30 s: sustained load while connections are killed

TERMINATE = text("""
SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
WHERE datname = current_database() AND application_name = 'monitoring-api' AND pid <> pg_backend_pid()
""")


@pytest.fixture
async def live(
    service_settings: Callable[[type[MonitoringSettings]], MonitoringSettings],
) -> AsyncIterator[httpx.AsyncClient]:
    """monitoring-api on its own pool (as deployed) over the committed database."""
    app = create_app(service_settings(MonitoringSettings))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://monitoring", timeout=30) as client:
        yield client
    await app.state.ctx.engine.dispose()


def _household(serial: int) -> dict[str, Any]:
    return {
        "region_code": VILLAGE,
        "head_name": f"户主{serial}",
        "category": "一般农户",
        "members": [
            {
                "id_number": idnumber.make(f"36070219800101{serial:03d}"[:17]),
                "name": f"户主{serial}",
                "relation": "户主",
                "labour_skill": "普通劳动力",
            }
        ],
    }


async def test_terminated_connections_answer_503_never_500_and_nothing_is_half_written(
    live: httpx.AsyncClient,
    token_for: Any,
    engine: AsyncEngine,
    committed: async_sessionmaker[AsyncSession],
) -> None:
    headers = token_for("district", DISTRICT)
    serials = itertools.count(1)
    answers: list[int] = []
    writes: dict[int, int] = {}  # serial -> status of its first try
    stop = asyncio.Event()

    async def writer() -> None:
        while not stop.is_set():
            serial = next(serials)
            response = await live.post(
                "/households", json=_household(serial), headers={**headers, "Idempotency-Key": f"fault-{serial}"}
            )
            writes[serial] = response.status_code
            answers.append(response.status_code)
            if response.status_code == 503:
                assert response.headers["Retry-After"] and response.json()["code"] == "unavailable"

    async def reader() -> None:
        while not stop.is_set():
            answers.append((await live.get("/households", params={"limit": 20}, headers=headers)).status_code)

    async def killer() -> int:
        killed = 0
        async with engine.connect() as conn:
            for _ in range(25):
                await asyncio.sleep(0.15)
                killed += int(await conn.scalar(TERMINATE) or 0)
                await conn.commit()
        stop.set()
        return killed

    *_, killed = await asyncio.gather(writer(), writer(), writer(), reader(), killer())
    assert killed > 0
    assert set(answers) <= {200, 201, 503}, sorted(set(answers))
    assert 503 in answers  # the fault was felt
    assert 201 in answers  # and the service kept working between the kills

    # The database is back: everything succeeds again; a 503'd write retried under its key is written once.
    for serial, status in writes.items():
        if status != 201:
            retry = await live.post(
                "/households", json=_household(serial), headers={**headers, "Idempotency-Key": f"fault-{serial}"}
            )
            assert retry.status_code == 201, retry.text
    assert (await live.get("/households", headers=headers)).status_code == 200

    async with committed() as session:
        households = await session.scalar(text("SELECT count(*) FROM monitoring.household"))
        incomplete = await session.scalar(
            text(
                "SELECT count(*) FROM monitoring.household h WHERE NOT EXISTS "
                "(SELECT 1 FROM monitoring.member m WHERE m.household_id = h.id) OR NOT EXISTS "
                "(SELECT 1 FROM monitoring.audit_log a WHERE a.entity = 'household' AND a.entity_id = h.id::text "
                "AND a.action = 'insert') OR NOT EXISTS (SELECT 1 FROM monitoring.outbox o WHERE "
                "o.payload->>'entity' = 'household' AND (o.payload->>'entity_id')::bigint = h.id)"
            )
        )
        orphans = await session.scalar(
            text(
                "SELECT count(*) FROM monitoring.member m WHERE NOT EXISTS "
                "(SELECT 1 FROM monitoring.household h WHERE h.id = m.household_id)"
            )
        )
        names = await session.scalar(text("SELECT count(DISTINCT head_name) FROM monitoring.household"))
    assert households == len(writes) == names  # each attempted household once, none twice
    assert (incomplete, orphans) == (0, 0)
