"""End to end: a labourer added in monitoring-api reaches employment-api's roster through the outbox, the relay and
the real worker (which reads the member back from a running monitoring-api); a replayed event changes nothing; the
member's death drops them from the employment targets."""

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import dramatiq
import httpx
import pytest
import uvicorn
from dramatiq import Worker
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from conftest import DISTRICT, TOWN, VILLAGE
from dixian_shared.auth.api_keys import new_key
from dixian_shared.contracts import EMPLOYMENT_ROSTER_ON_CHANGE
from dixian_shared.identity.models import ApiKey
from dixian_shared.idnumber import make as make_id_number
from dixian_shared.queue import send_by_name
from dixian_shared.relay import OutboxRelay
from dixian_shared.settings import AuthSettings, OutboxSettings, PostgresSettings, RedisSettings
from dixian_shared.testing.plugin import free_port
from dixian_worker.actors import broker as worker_broker
from dixian_worker.actors import roster_tasks, warnings_tasks
from dixian_worker.db import worker_sessions
from employment_api.app import create_app as create_employment_app
from employment_api.models import COMMON as EMPLOYMENT
from employment_api.roster.models import Labourer
from employment_api.settings import EmploymentSettings
from monitoring_api.app import create_app as create_monitoring_app
from monitoring_api.models import COMMON as MONITORING
from monitoring_api.settings import MonitoringSettings

OUTBOX = MONITORING.outbox


def _settings(cls, database: str, redis_url: str, auth: AuthSettings):  # type: ignore[no-untyped-def]
    return cls(
        postgres=PostgresSettings(url=database),
        redis=RedisSettings(url=redis_url),
        auth=auth,
        outbox=OutboxSettings(relay_enabled=False),
    )


@pytest.fixture
def monitoring_server(migrated_database: str, redis_url: str, auth_settings: AuthSettings) -> Iterator[str]:
    """monitoring-api really listening, as the worker reaches it in production."""
    app = create_monitoring_app(_settings(MonitoringSettings, migrated_database, redis_url, auth_settings))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("monitoring-api did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=20)


@pytest.fixture
async def service_key(committed: async_sessionmaker[AsyncSession], engine: AsyncEngine) -> AsyncIterator[str]:
    key, prefix, secret_hash = new_key()
    async with committed() as session:
        session.add(
            ApiKey(
                prefix=prefix,
                secret_hash=secret_hash,
                name="employment-api",
                role="service",
                region_code=DISTRICT,
                scopes=["registry.read"],
                active=True,
            )
        )
        await session.commit()
    yield key
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "TRUNCATE employment.labourer, employment.ledger_entry, employment.ledger_month, "
                "employment.target_figures, employment.village_change, employment.audit_log, "
                "employment.idempotency_key, employment.outbox CASCADE"
            )
        )


@pytest.fixture
def employment_worker(
    migrated_database: str, monitoring_server: str, service_key: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dramatiq.Broker]:
    monkeypatch.setenv("WORKER_POSTGRES__URL", migrated_database)
    monkeypatch.setenv("MONITORING_POSTGRES__URL", migrated_database)
    monkeypatch.setenv("EMPLOYMENT_POSTGRES__URL", migrated_database)
    monkeypatch.setenv("EMPLOYMENT_MONITORING__URL", monitoring_server)
    monkeypatch.setenv("EMPLOYMENT_MONITORING__API_KEY", service_key)
    for sessions in (worker_sessions, warnings_tasks.sessions, roster_tasks.sessions):
        sessions.reset()
    worker_broker.flush_all()
    worker = Worker(worker_broker, worker_threads=1, worker_timeout=100)
    worker.start()
    yield worker_broker
    worker.stop()
    for sessions in (worker_sessions, warnings_tasks.sessions, roster_tasks.sessions):
        sessions.reset()


async def _relay_and_work(committed: async_sessionmaker[AsyncSession], broker: dramatiq.Broker) -> None:
    relay = OutboxRelay(committed, OUTBOX, broker, OutboxSettings())
    assert await relay.drain() > 0
    await asyncio.to_thread(broker.join, EMPLOYMENT_ROSTER_ON_CHANGE.queue, timeout=30_000)


async def _labourer(committed: async_sessionmaker[AsyncSession], member_id: int) -> Labourer | None:
    async with committed() as session:
        return await session.scalar(select(Labourer).where(Labourer.member_id == member_id))


async def test_a_labourer_added_in_monitoring_reaches_the_roster_and_leaves_the_targets_on_death(
    committed: async_sessionmaker[AsyncSession],
    employment_worker: dramatiq.Broker,
    monitoring_server: str,
    migrated_database: str,
    redis_url: str,
    auth_settings: AuthSettings,
    token_for,  # type: ignore[no-untyped-def]
) -> None:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    month = f"{today:%Y-%m}"
    village = token_for("village", VILLAGE)
    household = {
        "region_code": VILLAGE,
        "head_name": "李四",
        "category": "脱贫户",
        "members": [
            {
                "id_number": make_id_number("36070219850505123"),
                "name": "李四",
                "relation": "户主",
                "labour_skill": "技能劳动力",
            },
        ],
    }
    async with httpx.AsyncClient(base_url=monitoring_server) as monitoring:
        created = await monitoring.post("/households", json=household, headers=village)
        assert created.status_code == 201, created.text
        member_id = created.json()["members"][0]["id"]

        await _relay_and_work(committed, employment_worker)
        labourer = await _labourer(committed, member_id)
        assert labourer is not None, "the roster did not receive the member"
        assert (labourer.qualifies, labourer.labour_skill, labourer.region_code) == (True, "技能劳动力", VILLAGE)

        # Dramatiq delivers at least once: the same event again (same message id and payload) changes nothing.
        async with committed() as session:
            roster_event = OUTBOX.c.actor_name == EMPLOYMENT_ROSTER_ON_CHANGE.name
            event = (await session.execute(select(OUTBOX.c.message_id, OUTBOX.c.payload).where(roster_event))).first()
            audits = await session.scalar(select(func.count()).select_from(EMPLOYMENT.audit_log))
        assert event is not None
        send_by_name(
            employment_worker,
            actor_name=EMPLOYMENT_ROSTER_ON_CHANGE.name,
            queue_name=EMPLOYMENT_ROSTER_ON_CHANGE.queue,
            kwargs=event.payload,
            message_id=str(event.message_id),
        )
        await asyncio.to_thread(employment_worker.join, EMPLOYMENT_ROSTER_ON_CHANGE.queue, timeout=30_000)
        again = await _labourer(committed, member_id)
        assert again is not None and (again.version, again.updated_at) == (labourer.version, labourer.updated_at)
        async with committed() as session:
            assert await session.scalar(select(func.count()).select_from(EMPLOYMENT.audit_log)) == audits

        # The town records the month; the targets count the labourer; the death removes them.
        app = create_employment_app(_settings(EmploymentSettings, migrated_database, redis_url, auth_settings))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://employment") as employment:
            town = token_for("town", TOWN)
            entry = {"labourer_id": labourer.id, "status": "务工", "place": "县内", "late_reason": "端到端测试"}
            recorded = await employment.post(f"/ledger/{month}/entries", json=entry, headers=town)
            assert recorded.status_code == 201, recorded.text
            before = (await employment.get(f"/targets/{month}", headers=town)).json()
            assert before["total"]["employed_lifted"] == 1

            died = await monitoring.post(
                f"/members/{member_id}/death", json={"died_on": today.isoformat()}, headers=village
            )
            assert died.status_code == 200, died.text
            await _relay_and_work(committed, employment_worker)
            gone = await _labourer(committed, member_id)
            assert gone is not None and (gone.qualifies, gone.left_on) == (False, today)
            after = (await employment.get(f"/targets/{month}", headers=town)).json()
            assert after["total"]["employed_lifted"] == 0
            people = (await employment.get(f"/targets/{month}/people?target=employed_lifted", headers=town)).json()
            assert people["items"] == []
            # The history stays.
            assert (await employment.get(f"/ledger/entries/{recorded.json()['id']}", headers=town)).status_code == 200
        await app.state.ctx.engine.dispose()
