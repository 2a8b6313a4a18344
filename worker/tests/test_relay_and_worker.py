"""Events travel outbox → relay → Redis → worker, and survive Redis being down on the way."""

import asyncio
from collections.abc import Iterator

import dramatiq
import pytest
from dramatiq import Worker
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conftest import VILLAGE
from dixian_shared import outbox
from dixian_shared.contracts import PROVINCIAL_RECORD_CHANGE, SUBSCRIBERS, Topic
from dixian_shared.queue import make_broker, send_by_name
from dixian_shared.relay import OutboxRelay
from dixian_shared.settings import OutboxSettings
from dixian_shared.testing.plugin import RedisProcess
from dixian_worker.actors import broker as worker_broker
from dixian_worker.actors import warnings_tasks
from dixian_worker.db import worker_sessions
from dixian_worker.models import ProvincialOutgoing
from monitoring_api.models import COMMON

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
