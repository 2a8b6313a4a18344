"""Provincial sync: registry changes are queued in the worker schema and pushed to the provincial system in batches.

Receiving a change is idempotent on its event id; a push is idempotent on the provincial side through the
Idempotency-Key header (the row ids of the batch), and rows stay pending until the province acknowledges them.
"""

import logging
from typing import Any
from uuid import UUID

import dramatiq
import httpx
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from dixian_shared.contracts import PROVINCIAL_RECORD_CHANGE
from dixian_worker.broker import broker
from dixian_worker.db import worker_sessions
from dixian_worker.models import ProvincialOutgoing
from dixian_worker.settings import WorkerSettings

log = logging.getLogger(__name__)


@dramatiq.actor(
    actor_name=PROVINCIAL_RECORD_CHANGE.name, queue_name=PROVINCIAL_RECORD_CHANGE.queue, max_retries=20, broker=broker
)
async def provincial_record_change(
    event_id: str, topic: str, entity: str, entity_id: int, region_code: str, **payload: Any
) -> None:
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


async def push_pending(settings: WorkerSettings) -> int:
    """Push one batch of pending changes; returns how many the province acknowledged."""
    province = settings.province
    if not province.url:
        return 0
    async with worker_sessions() as session:
        rows = (
            await session.scalars(
                select(ProvincialOutgoing)
                .where(ProvincialOutgoing.pushed_at.is_(None))
                .order_by(ProvincialOutgoing.id)
                .limit(province.batch_size)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not rows:
            return 0
        ids = [row.id for row in rows]
        body = [
            {
                "event_id": str(row.message_id),
                "topic": row.topic,
                "entity": row.entity,
                "entity_id": row.entity_id,
                "region_code": row.region_code,
                **row.payload,
            }
            for row in rows
        ]
        headers = {"Idempotency-Key": f"dixian-{ids[0]}-{ids[-1]}-{len(ids)}"}
        if province.api_key:
            headers["X-API-Key"] = province.api_key
        try:
            async with httpx.AsyncClient(timeout=province.timeout_seconds) as client:
                response = await client.post(f"{province.url.rstrip('/')}/records", json=body, headers=headers)
                response.raise_for_status()
        except httpx.HTTPError as exc:
            await session.rollback()
            async with worker_sessions() as failed:
                await failed.execute(
                    update(ProvincialOutgoing)
                    .where(ProvincialOutgoing.id.in_(ids))
                    .values(attempts=ProvincialOutgoing.attempts + 1, last_error=str(exc)[:500])
                )
                await failed.commit()
            log.warning("provincial push failed, %d changes stay pending: %s", len(ids), exc)
            return 0
        await session.execute(
            update(ProvincialOutgoing).where(ProvincialOutgoing.id.in_(ids)).values(pushed_at=func.now())
        )
        await session.commit()
        return len(ids)


@dramatiq.actor(
    actor_name="worker.provincial_push", queue_name="sync", cron="*/5 * * * *", max_retries=0, broker=broker
)
async def provincial_push(slot: str | None = None) -> None:
    settings = WorkerSettings()
    while await push_pending(settings) == settings.province.batch_size:
        pass
