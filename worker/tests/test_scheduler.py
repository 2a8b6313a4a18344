"""Schedules declared on actors fire once per slot, with two schedulers running and across a restart."""

import asyncio
import inspect
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dixian_shared.jobs import Schedules
from dixian_worker.actors import broker
from dixian_worker.models import ScheduleSlot
from dixian_worker.scheduler import Scheduler, latest_slot
from dixian_worker.settings import SchedulerSettings

SHANGHAI = ZoneInfo("Asia/Shanghai")
PUSH = "worker.provincial_push"
PULL = "worker.provincial_pull"


def _queued(queue: str) -> int:
    return int(broker.client.hlen(f"dramatiq:{queue}.msgs"))


@pytest.fixture
def empty_queues(redis_url: str) -> None:
    redis.Redis.from_url(redis_url).ping()
    broker.flush_all()


def test_schedules_are_read_from_the_actors() -> None:
    assert (PUSH, "sync", "*/5 * * * *") in Schedules.scheduled(broker)


def test_latest_slot_includes_a_slot_that_is_exactly_now() -> None:
    now = datetime(2024, 6, 15, 8, 5, tzinfo=SHANGHAI)
    assert latest_slot("*/5 * * * *", now) == now
    assert latest_slot("0 8 15 * *", now + timedelta(days=3)) == datetime(2024, 6, 15, 8, 0, tzinfo=SHANGHAI)


async def test_two_schedulers_and_a_restart_fire_a_slot_once(
    committed: async_sessionmaker[AsyncSession], empty_queues: None
) -> None:
    settings = SchedulerSettings()
    now = datetime(2024, 6, 15, 8, 7, tzinfo=SHANGHAI)
    first = Scheduler(committed, broker, settings, name="a")
    second = Scheduler(committed, broker, settings, name="b")

    fired_a, fired_b = await asyncio.gather(first.tick(now), second.tick(now))
    sync_fired = sorted(f for f in fired_a + fired_b if f[0] in (PUSH, PULL))
    assert sync_fired == [
        (PULL, datetime(2024, 6, 15, 8, 0, tzinfo=SHANGHAI)),
        (PUSH, datetime(2024, 6, 15, 8, 5, tzinfo=SHANGHAI)),
    ]
    assert _queued("sync") == 2  # the push's slot and the pull's, once each

    restarted = Scheduler(committed, broker, settings, name="a-restarted")
    assert [f for f in await restarted.tick(now + timedelta(minutes=1)) if f[0] in (PUSH, PULL)] == []
    assert _queued("sync") == 2

    async with committed() as session:
        slots = (await session.scalars(select(ScheduleSlot).where(ScheduleSlot.actor_name == PUSH))).all()
    assert len(slots) == 1


async def test_a_slot_missed_longer_than_the_grace_is_not_fired_late(
    committed: async_sessionmaker[AsyncSession], empty_queues: None
) -> None:
    scheduler = Scheduler(committed, broker, SchedulerSettings(misfire_grace_seconds=60), name="late")
    # 4 minutes after the 08:05 slot, the grace of 60 s has passed.
    assert [f for f in await scheduler.tick(datetime(2024, 6, 15, 8, 9, tzinfo=SHANGHAI)) if f[0] == PUSH] == []
    assert _queued("sync") == 0


def test_every_scheduled_actor_accepts_the_slot_it_is_fired_for() -> None:
    for actor_name, _, _ in Schedules.scheduled(broker):
        parameters = inspect.signature(broker.get_actor(actor_name).fn).parameters
        assert "slot" in parameters, f"{actor_name} is fired with slot=… by the scheduler"
