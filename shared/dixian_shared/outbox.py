"""Transactional outbox: events and jobs are rows written in the caller's transaction, sent to the broker by the relay.

A job enqueued inside a request therefore leaves only if the request commits, and Redis being down only delays it.
"""

import uuid
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import SUBSCRIBERS, ActorRef

NOTIFY_CHANNEL = "dixian_outbox"


async def enqueue(session: AsyncSession, actor: ActorRef, **payload: Any) -> None:
    """Send a job to an actor once this transaction commits."""
    await enqueue_many(session, [(actor, payload)])


async def emit(session: AsyncSession, topic: str, **payload: Any) -> None:
    """Publish an event to every actor subscribed to the topic (see contracts.SUBSCRIBERS)."""
    subscribers = SUBSCRIBERS.get(topic, ())
    # One event id for all subscribers: each one dedupes redeliveries on it in its own store.
    event = {"event_id": str(uuid.uuid4()), "topic": topic, **payload}
    await enqueue_many(session, [(actor, event) for actor in subscribers])


async def enqueue_many(session: AsyncSession, jobs: list[tuple[ActorRef, dict[str, Any]]]) -> None:
    if not jobs:
        return
    outbox = session.info["common"].outbox
    rows = [{"actor_name": actor.name, "queue_name": actor.queue, "payload": payload} for actor, payload in jobs]
    await session.execute(insert(outbox), rows)
    # NOTIFY is delivered only on commit, so the relay wakes exactly when there is something to send.
    await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, outbox.schema)))
