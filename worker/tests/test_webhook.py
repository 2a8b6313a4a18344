"""The gateway webhook: signed, retried with backoff, dead-lettered after the last try, each message once."""

import asyncio
import os
import sys
import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from worker_support import seed_messages, start_gateway, worker_database_fixture

from dixian_worker.notifications.models import DeliveryAttempt, WebhookDelivery
from dixian_worker.notifications.repository import replay
from dixian_worker.notifications.signing import headers_for, sign, verify
from dixian_worker.notifications.webhook import deliver_all
from dixian_worker.settings import WebhookSettings

__all__ = ["worker_database_fixture"]


def test_the_signature_covers_timestamp_and_body() -> None:
    headers = headers_for("s3cret", b'{"a":1}')
    stamp, signature = headers["X-Dixian-Timestamp"], headers["X-Dixian-Signature"]
    assert verify("s3cret", stamp, signature, b'{"a":1}')
    assert not verify("s3cret", stamp, signature, b'{"a":2}')  # body changed
    assert not verify("other", stamp, signature, b'{"a":1}')  # wrong key
    assert not verify("s3cret", str(int(stamp) + 1), signature, b'{"a":1}')  # timestamp changed
    old = int(stamp) - 3600
    assert not verify("s3cret", str(old), sign("s3cret", old, b'{"a":1}'), b'{"a":1}')  # replayed an hour later


async def _statuses(committed: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with committed() as session:
        rows = await session.execute(select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status))
        return {status: count for status, count in rows.all()}


async def test_a_gateway_failing_several_times_gets_each_message_exactly_once(
    committed: async_sessionmaker[AsyncSession], worker_database: None
) -> None:
    await seed_messages(committed, "reminders@2024-09-27", 450)
    gateway, stop = start_gateway("s3cret", fail_first=5)
    settings = WebhookSettings(url=gateway.url, secret="s3cret", batch_size=50, concurrency=3, backoff_seconds=0)
    try:
        # Two workers at once (a scheduler that fired twice, a redelivered job): rows are claimed, never shared.
        await asyncio.gather(deliver_all(settings), deliver_all(settings))
    finally:
        stop()
    assert gateway.bad_signatures == 0
    assert len(gateway.accepted) == 450 and set(gateway.accepted.values()) == {1}
    refused = [size for status, size, _ in gateway.log if status == 503]
    taken = [(size, key) for status, size, key in gateway.log if status == 200]
    assert len(refused) == 5 and gateway.requests == len(refused) + len(taken)
    # Batches are of at most 50. How the 450 split into batches depends on timing: a claim skips rows another
    # worker holds or re-queued after the claim's snapshot, so a batch may be short and the count of requests
    # vary (at least nine); what may not vary is that no request was sent twice.
    assert all(0 < size <= 50 for size, _ in taken) and sum(size for size, _ in taken) == 450
    assert len({key for _, key in taken}) == len(taken)
    assert await _statuses(committed) == {"已送达": 450}
    async with committed() as session:
        failures = await session.scalar(select(func.count()).where(DeliveryAttempt.outcome == "失败"))
        delivered = await session.scalar(select(func.count()).where(DeliveryAttempt.outcome == "已送达"))
    # The log shows every try of every message, and exactly the tries the gateway saw.
    assert failures == sum(refused) and delivered == 450


async def test_after_the_last_try_a_message_is_dead_lettered_and_waits(
    committed: async_sessionmaker[AsyncSession], worker_database: None
) -> None:
    await seed_messages(committed, "reminders@2024-09-30", 3)
    gateway, stop = start_gateway("s3cret")
    gateway.always_fail = True
    settings = WebhookSettings(url=gateway.url, secret="s3cret", max_attempts=3, backoff_seconds=0)
    try:
        await deliver_all(settings)
        assert await _statuses(committed) == {"死信": 3}
        assert gateway.requests == 3  # one batch, three tries, then it stops
        await deliver_all(settings)
        assert gateway.requests == 3  # a dead letter is not retried until the district replays it
        async with committed() as session:
            assert len(await replay(session, None, "user:1")) == 3
            await session.commit()
        gateway.always_fail = False
        await deliver_all(settings)
    finally:
        stop()
    assert await _statuses(committed) == {"已送达": 3}
    assert len(gateway.accepted) == 3 and set(gateway.accepted.values()) == {1}


async def test_a_failed_try_waits_for_its_backoff(
    committed: async_sessionmaker[AsyncSession], worker_database: None
) -> None:
    await seed_messages(committed, "reminders@2024-10-08", 2)
    gateway, stop = start_gateway("s3cret", fail_first=1)
    settings = WebhookSettings(url=gateway.url, secret="s3cret", backoff_seconds=60)
    try:
        await deliver_all(settings)
        await deliver_all(settings)  # the retry is not due for a minute
    finally:
        stop()
    assert gateway.requests == 1 and gateway.accepted == {}
    assert await _statuses(committed) == {"待发送": 2}


async def test_a_worker_killed_mid_delivery_loses_nothing_and_repeats_only_its_batch_under_the_same_key(
    committed: async_sessionmaker[AsyncSession], worker_database: None, migrated_database: str
) -> None:
    await seed_messages(committed, "reminders@2024-10-09", 120)
    gateway, stop = start_gateway("s3cret")
    gateway.delay_seconds = 0.15  # the gateway has taken a batch before it answers: a kill can land in between
    settings = f"WebhookSettings(url={gateway.url!r}, secret='s3cret', batch_size=10, concurrency=1)"
    script = (
        "import asyncio\n"
        "from dixian_worker.notifications.webhook import deliver_all\n"
        "from dixian_worker.settings import WebhookSettings\n"
        f"asyncio.run(deliver_all({settings}))\n"
    )
    env = {**os.environ, "WORKER_POSTGRES__URL": migrated_database}
    worker = await asyncio.create_subprocess_exec(sys.executable, "-c", script, env=env)
    try:
        await asyncio.to_thread(_wait_for, lambda: len(gateway.accepted) >= 30, 30)
        worker.kill()  # SIGKILL: no clean-up, whatever was in flight is neither committed nor rolled back by it
        await worker.wait()
        assert 0 < len(gateway.accepted) < 120
        # Restarted (here in process), the worker sends what was not recorded as delivered.
        await deliver_all(WebhookSettings(url=gateway.url, secret="s3cret", batch_size=10, concurrency=2))
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()
        stop()
    assert await _statuses(committed) == {"已送达": 120}
    assert len(gateway.accepted) == 120 and gateway.bad_signatures == 0
    repeated = [mid for mid, count in gateway.accepted.items() if count > 1]
    # At most the one batch that was in flight when the worker died came again, under the same ids and the same
    # Idempotency-Key, so the gateway keeps each message once.
    assert len(repeated) <= 10
    assert all(len(gateway.keys[mid]) == 1 for mid in repeated)


def _wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
