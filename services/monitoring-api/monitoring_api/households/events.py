"""Registry events into the outbox: one record at a time, or set-based for every row a statement selects."""

from typing import Any

from sqlalchemy import String, Text, cast, column, func, insert, literal, null, select, true, values
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from dixian_shared import outbox
from dixian_shared.contracts import SUBSCRIBERS, RecordChanged, Topic


async def publish(session: AsyncSession, topic: Topic, entity: str, entity_id: int, region: str, action: str) -> None:
    event = RecordChanged(topic=topic, entity=entity, entity_id=entity_id, region_code=region, action=action)
    await outbox.emit(session, topic, **event.model_dump(mode="json", exclude={"topic"}))


async def publish_rows(session: AsyncSession, topic: Topic, entity: str, action: str, rows: Select[Any]) -> None:
    """The same RecordChanged event as `publish`, for each (entity_id, region_code) row `rows` selects.

    One INSERT … SELECT instead of a row per round trip: a household move or an import may touch thousands of rows.
    """
    subscribers = SUBSCRIBERS.get(topic, ())
    if not subscribers:
        return
    table = session.info["common"].outbox
    changed = rows.subquery("changed")
    # A CTE with a volatile function is evaluated once per row, so every subscriber gets the same event id
    # (each subscriber dedupes redeliveries on it), as outbox.emit does for a single event.
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
    await session.execute(select(func.pg_notify(outbox.NOTIFY_CHANNEL, table.schema)))
