"""Delivering messages to the gateway: batches claimed with SKIP LOCKED, signed, retried with backoff, dead-lettered.

A batch's rows stay locked until its outcome is committed, so two workers (or a scheduler firing twice) never send
the same message at the same time, and a delivered message is never picked again. A worker killed between the
gateway's answer and the commit sends that batch again on restart: each message carries a stable id
("<slot>/<recipient>") and the request an Idempotency-Key, so the gateway drops the repeat.
"""

import asyncio
import json
import logging
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_worker.db import worker_sessions
from dixian_worker.notifications.signing import headers_for
from dixian_worker.settings import WebhookSettings

log = logging.getLogger(__name__)

CLAIM = text("""
SELECT d.notification_id, d.attempts, n.slot, n.recipient, n.user_id, n.region_code, n.role, n.title, n.body,
       n.summary
FROM worker.webhook_delivery d JOIN worker.notification n ON n.id = d.notification_id
WHERE d.status = '待发送' AND d.next_attempt_at <= now()
ORDER BY d.next_attempt_at, d.notification_id
LIMIT :limit
FOR UPDATE OF d SKIP LOCKED
""")

DELIVERED = text("""
WITH done AS (
    UPDATE worker.webhook_delivery SET status = '已送达', attempts = attempts + 1, delivered_at = now(),
           last_error = NULL
    WHERE notification_id = ANY(CAST(:ids AS bigint[]))
    RETURNING notification_id, attempts
)
INSERT INTO worker.delivery_attempt (notification_id, attempt, status_code, outcome)
SELECT notification_id, attempts, :status_code, '已送达' FROM done
""")

FAILED = text("""
WITH failed AS (
    UPDATE worker.webhook_delivery SET
        attempts = attempts + 1,
        status = CASE WHEN attempts + 1 >= :max_attempts THEN '死信' ELSE '待发送' END,
        next_attempt_at = now() + make_interval(secs => least(:base * power(2, attempts), :cap)),
        last_error = :error
    WHERE notification_id = ANY(CAST(:ids AS bigint[]))
    RETURNING notification_id, attempts, status
)
INSERT INTO worker.delivery_attempt (notification_id, attempt, status_code, outcome, error)
SELECT notification_id, attempts, :status_code, CASE WHEN status = '死信' THEN '死信' ELSE '失败' END, :error
FROM failed
""")


def message_json(row: Any) -> dict[str, Any]:
    return {
        "id": f"{row.slot}/{row.recipient}",
        "notification_id": row.notification_id,
        "recipient": row.recipient,
        "user_id": row.user_id,
        "region_code": row.region_code,
        "role": row.role,
        "title": row.title,
        "body": row.body,
        "summary": row.summary,
    }


async def _post(client: httpx.AsyncClient, settings: WebhookSettings, rows: list[Any]) -> tuple[int | None, str | None]:
    body = json.dumps({"messages": [message_json(r) for r in rows]}, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": f"dixian-{rows[0].notification_id}-{rows[-1].notification_id}-{len(rows)}",
        **headers_for(settings.secret, body),
    }
    try:
        response = await client.post(settings.url or "", content=body, headers=headers)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    if response.is_success:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}: {response.text[:300]}"


async def deliver_batch(session: AsyncSession, client: httpx.AsyncClient, settings: WebhookSettings) -> int:
    """Claim, send and settle one batch; returns how many messages it settled (0: nothing due)."""
    rows = list((await session.execute(CLAIM, {"limit": settings.batch_size})).all())
    if not rows:
        await session.rollback()
        return 0
    ids = [row.notification_id for row in rows]
    status_code, error = await _post(client, settings, rows)
    if error is None:
        await session.execute(DELIVERED, {"ids": ids, "status_code": status_code})
    else:
        await session.execute(
            FAILED,
            {
                "ids": ids,
                "status_code": status_code,
                "error": error,
                "max_attempts": settings.max_attempts,
                "base": settings.backoff_seconds,
                "cap": settings.backoff_max_seconds,
            },
        )
        log.warning("webhook batch of %d failed: %s", len(ids), error)
    await session.commit()
    return len(ids)


async def deliver_all(settings: WebhookSettings, transport: httpx.AsyncBaseTransport | None = None) -> int:
    """Send everything due, `concurrency` batches in flight; returns the messages settled (delivered or not)."""
    if not settings.url:
        return 0

    async def lane(client: httpx.AsyncClient) -> int:
        settled = 0
        async with worker_sessions() as session:
            while handled := await deliver_batch(session, client, settings):
                settled += handled
        return settled

    async with httpx.AsyncClient(timeout=settings.timeout_seconds, transport=transport) as client:
        return sum(await asyncio.gather(*(lane(client) for _ in range(settings.concurrency))))
