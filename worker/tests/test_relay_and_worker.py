"""Events travel outbox → relay → Redis → worker, and survive Redis being down on the way."""

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import dramatiq
import httpx
import pytest
import redis
from dramatiq import Worker
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from worker_support import new_household

from conftest import DISTRICT, VILLAGE
from dixian_shared import outbox
from dixian_shared.contracts import PROVINCIAL_RECORD_CHANGE, QUEUES, SUBSCRIBERS, Topic
from dixian_shared.queue import make_broker, send_by_name
from dixian_shared.relay import OutboxRelay
from dixian_shared.settings import OutboxSettings
from dixian_shared.testing.plugin import RedisProcess
from dixian_worker.actors import broker as worker_broker
from dixian_worker.actors import warnings_tasks
from dixian_worker.db import worker_sessions
from dixian_worker.models import ProvincialOutgoing
from monitoring_api.app import create_app as create_monitoring_app
from monitoring_api.models import COMMON
from monitoring_api.settings import MonitoringSettings

OUTBOX = COMMON.outbox
SUBSCRIBED = len(SUBSCRIBERS[Topic.household_changed])


async def _emit_one(committed: async_sessionmaker[AsyncSession], entity_id: int = 7) -> None:
    async with committed() as session:
        await outbox.emit(
            session, Topic.household_changed, entity="household", entity_id=entity_id, region_code=VILLAGE, action="x"
        )
        await session.commit()


async def _pending(committed: async_sessionmaker[AsyncSession]) -> list[tuple[int, int]]:
    async with committed() as session:
        stmt = select(OUTBOX.c.id, OUTBOX.c.attempts).where(OUTBOX.c.published_at.is_(None))
        return [tuple(row) for row in (await session.execute(stmt)).all()]  # type: ignore[misc]


async def test_an_event_written_while_redis_is_down_is_delivered_after_it_returns(
    committed: async_sessionmaker[AsyncSession], private_redis: RedisProcess
) -> None:
    broker = make_broker(private_redis.url)
    relay = OutboxRelay(committed, OUTBOX, broker, OutboxSettings())
    await _emit_one(committed)

    private_redis.stop()
    with pytest.raises(Exception):  # noqa: B017  (whatever the client raises, the row must stay)
        await relay.relay_once()
    pending = await _pending(committed)
    assert len(pending) == SUBSCRIBED  # one row per subscriber of the topic
    assert {attempts for _, attempts in pending} == {1}  # the failed attempt is counted

    private_redis.start()
    broker.client.connection_pool.reset()
    assert await relay.relay_once() == SUBSCRIBED
    assert await _pending(committed) == []

    consumer = broker.consume(PROVINCIAL_RECORD_CHANGE.queue, prefetch=1, timeout=2000)
    message = next(consumer)
    assert message.actor_name == PROVINCIAL_RECORD_CHANGE.name
    assert message.kwargs["entity_id"] == 7
    assert message.kwargs["topic"] == Topic.household_changed
    consumer.close()


@pytest.fixture
def running_worker(migrated_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dramatiq.Broker]:
    """The real worker broker and actors, consuming from the tests' Redis, writing into the test database."""
    monkeypatch.setenv("WORKER_POSTGRES__URL", migrated_database)
    monkeypatch.setenv("MONITORING_POSTGRES__URL", migrated_database)  # the monitoring actors it also runs
    worker_sessions.reset()
    warnings_tasks.sessions.reset()
    worker_broker.flush_all()
    worker = Worker(worker_broker, worker_threads=1, worker_timeout=100)
    worker.start()
    yield worker_broker
    worker.stop()
    worker_sessions.reset()
    warnings_tasks.sessions.reset()


async def test_the_worker_records_a_relayed_event_once_even_if_delivered_twice(
    committed: async_sessionmaker[AsyncSession], running_worker: dramatiq.Broker
) -> None:
    await _emit_one(committed, entity_id=11)
    relay = OutboxRelay(committed, OUTBOX, running_worker, OutboxSettings())
    assert await relay.relay_once() == SUBSCRIBED
    async with committed() as session:
        provincial = OUTBOX.c.actor_name == PROVINCIAL_RECORD_CHANGE.name
        event = (await session.execute(select(OUTBOX.c.message_id, OUTBOX.c.payload).where(provincial))).one()
    # Dramatiq delivers at least once: send the same event again as a redelivery would.
    send_by_name(
        running_worker,
        actor_name=PROVINCIAL_RECORD_CHANGE.name,
        queue_name=PROVINCIAL_RECORD_CHANGE.queue,
        kwargs=event.payload,
        message_id=str(event.message_id),
    )
    await asyncio.to_thread(running_worker.join, PROVINCIAL_RECORD_CHANGE.queue, timeout=20_000)
    async with committed() as session:
        rows = (await session.scalars(select(ProvincialOutgoing))).all()
        assert len(rows) == 1
        assert rows[0].entity_id == 11
        assert rows[0].topic == Topic.household_changed
        assert await session.scalar(select(func.count()).select_from(ProvincialOutgoing)) == 1


async def test_writes_during_a_redis_outage_reach_the_broker_each_once_after_it_returns(
    committed: async_sessionmaker[AsyncSession],
    private_redis: RedisProcess,
    service_settings: Callable[[type[MonitoringSettings]], MonitoringSettings],
    token_for: Any,
) -> None:
    """The relay runs as in an API process (its loop, its back-off) while households are written through the API;
    Redis is stopped for a while under those writes and started again."""
    app = create_monitoring_app(service_settings(MonitoringSettings))
    broker = make_broker(private_redis.url)
    relay = OutboxRelay(committed, OUTBOX, broker, OutboxSettings(poll_seconds=0.1, max_backoff_seconds=0.5))
    running = asyncio.create_task(relay.run_forever())
    headers = token_for("district", DISTRICT)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://monitoring") as client:
            for n in range(5):
                await new_household(client, headers, VILLAGE, 500 + n)
            await _until(lambda: _no_pending(committed), 20)
            before = await _message_ids(committed)
            private_redis.stop()
            for n in range(20):  # writes go on: the events wait in the outbox, in the writes' own transactions
                await new_household(client, headers, VILLAGE, 600 + n)
            await asyncio.sleep(1.5)  # the relay tries, fails, backs off
            waiting = await _pending(committed)
            assert len(waiting) == 20 * 2 * SUBSCRIBED  # each household and its member, per subscriber
            assert any(attempts > 0 for _, attempts in waiting)  # it did try while Redis was away
            private_redis.start()
            await _until(lambda: _no_pending(committed), 30)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await app.state.ctx.engine.dispose()
    sent = await _message_ids(committed) - before
    assert len(sent) == 20 * 2 * SUBSCRIBED
    # The Redis broker keys each enqueued copy by an id of its own; the event id is inside the message.
    queued: Counter[str] = Counter()
    client = redis.Redis(port=private_redis.port)
    for queue in QUEUES:
        listed = client.lrange(f"dramatiq:{queue}", 0, -1)
        stored = client.hgetall(f"dramatiq:{queue}.msgs")
        assert sorted(listed) == sorted(stored)
        queued.update(json.loads(body)["message_id"] for body in stored.values())
    # Every event written during the outage is on its queue. (This Redis keeps nothing across a restart, so the
    # events relayed before it stopped went with it; the deployed one runs with --appendonly yes.)
    assert set(queued) == sent
    assert set(queued.values()) == {1}  # and each once


async def _message_ids(committed: async_sessionmaker[AsyncSession]) -> set[str]:
    async with committed() as session:
        return {str(m) for m in (await session.scalars(select(OUTBOX.c.message_id))).all()}


async def _no_pending(committed: async_sessionmaker[AsyncSession]) -> bool:
    return await _pending(committed) == []


async def _until(condition: Callable[[], Awaitable[bool]], seconds: float) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "not within the time allowed"
        await asyncio.sleep(0.1)
