"""Provincial sync actors: registry changes into the push ledger; the push and the pull on their schedules.

Receiving a change is idempotent on its event id. The push (sync/push.py) sends the real records with the event id
as idempotency key and a per-record acknowledgement ledger; the pull (sync/pull.py) reads the province's changes from
a saved checkpoint.
"""

import logging
from typing import Any
from uuid import UUID

import dramatiq
from sqlalchemy.dialects.postgresql import insert

from dixian_shared.contracts import PROVINCE_ACTION, PROVINCIAL_RECORD_CHANGE
from dixian_worker.broker import broker
from dixian_worker.db import worker_sessions
from dixian_worker.models import ProvincialOutgoing
from dixian_worker.settings import WorkerSettings
from dixian_worker.sync.service import pull_all, push_all

log = logging.getLogger(__name__)


@dramatiq.actor(
    actor_name=PROVINCIAL_RECORD_CHANGE.name, queue_name=PROVINCIAL_RECORD_CHANGE.queue, max_retries=20, broker=broker
)
async def provincial_record_change(
    event_id: str, topic: str, entity: str, entity_id: int, region_code: str, **payload: Any
) -> None:
    if payload.get("action") == PROVINCE_ACTION:
        return  # the province's own change, applied here: nothing to send back
    async with worker_sessions() as session:
        await session.execute(
            insert(ProvincialOutgoing)
            .values(
                message_id=UUID(event_id),
                topic=topic,
                entity=entity,
                entity_id=entity_id,
                region_code=region_code,
                payload=payload,
            )
            .on_conflict_do_nothing(index_elements=[ProvincialOutgoing.message_id])
        )
        await session.commit()


@dramatiq.actor(
    actor_name="worker.provincial_push", queue_name="sync", cron="*/5 * * * *", max_retries=0, broker=broker
)
async def provincial_push(slot: str | None = None) -> None:
    status, counts = await push_all(WorkerSettings())
    log.info("provincial push %s: %s", status, counts)


@dramatiq.actor(
    actor_name="worker.provincial_pull", queue_name="sync", cron="*/10 * * * *", max_retries=0, broker=broker
)
async def provincial_pull(slot: str | None = None) -> None:
    status, counts = await pull_all(WorkerSettings())
    log.info("provincial pull %s: %s", status, counts)
