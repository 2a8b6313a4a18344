"""Transactional outbox: events and jobs are rows written in the caller's transaction, sent to the broker by the relay.

A job enqueued inside a request therefore leaves only if the request commits, and Redis being down only delays it.
"""

import uuid
from typing import Any

from sqlalchemy import String, Text, cast, column, func, insert, literal, null, select, true, values
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from dixian_shared.contracts import SUBSCRIBERS, ActorRef, RecordChanged, Topic

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


async def publish_change(
    session: AsyncSession, topic: Topic, entity: str, entity_id: int, region_code: str, action: str
) -> None:
    """Tell the topic's subscribers that one record changed (a RecordChanged event, once this transaction commits)."""
    event = RecordChanged(topic=topic, entity=entity, entity_id=entity_id, region_code=region_code, action=action)
    await emit(session, topic, **event.model_dump(mode="json", exclude={"topic"}))


async def publish_changes(
    session: AsyncSession, topic: Topic, entity: str, action: str, rows: Select[*tuple[Any, ...]]
) -> None:
    """The same RecordChanged event as `publish_change`, for each (entity_id, region_code) row `rows` selects.

    One INSERT … SELECT instead of a row per round trip: a household move or an import may touch thousands of rows.
    """
    subscribers = SUBSCRIBERS.get(topic, ())
    if not subscribers:
        return
    table = session.info["common"].outbox
    changed = rows.subquery("changed")
    # A CTE with a volatile function is evaluated once per row, so every subscriber gets the same event id
    # (each subscriber dedupes redeliveries on it), as `emit` does for a single event.
    events = select(
        changed.c.entity_id, changed.c.region_code, cast(func.gen_random_uuid(), Text).label("event_id")
    ).cte("event")
    actors = values(column("actor_name", String), column("queue_name", String), name="subscriber").data(
        [(actor.name, actor.queue) for actor in subscribers]
    )
    payload = func.jsonb_build_object(
        literal("event_id", String),
        events.c.event_id,
        literal("topic", String),
        literal(str(topic), String),
        literal("entity", String),
        literal(entity, String),
        literal("entity_id", String),
        events.c.entity_id,
        literal("region_code", String),
        events.c.region_code,
        literal("action", String),
        literal(action, String),
        literal("id_number", String),
        cast(null(), Text),
    )
    source = select(actors.c.actor_name, actors.c.queue_name, payload).select_from(events.join(actors, true()))
    await session.execute(insert(table).from_select(["actor_name", "queue_name", "payload"], source))
    await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, table.schema)))
