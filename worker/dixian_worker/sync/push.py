"""The provincial push: the real records, fetched from monitoring-api, sent with their event id as idempotency key.

Rows are claimed with SKIP LOCKED and stay locked until their outcome is committed. The province answers record by
record: accepted or duplicate → 已确认; refused → 已搁置 with the reason (never blocks the rest); no answer, a 5xx or a
timeout → retried with doubling backoff, 死信 after max_attempts. A batch refused whole with a 4xx that names its bad
records parks those and sends the rest again; one that names none is sent again record by record.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import ServiceRecords
from dixian_worker.models import ProvincialOutgoing
from dixian_worker.settings import ProvinceSettings

log = logging.getLogger(__name__)

WAITING, ACKED, PARKED, DEAD = "待推送", "已确认", "已搁置", "死信"


@dataclass
class Tally:
    sent: int = 0
    acked: int = 0
    parked: int = 0
    failed: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"sent": self.sent, "acked": self.acked, "parked": self.parked, "failed": self.failed, "dead": self.dead}


def _fail(row: ProvincialOutgoing, error: str, settings: ProvinceSettings, tally: Tally) -> None:
    row.attempts += 1
    row.last_error = error[:500]
    delay = min(settings.backoff_seconds * 2 ** (row.attempts - 1), settings.backoff_max_seconds)
    row.next_attempt_at = datetime.now(UTC) + timedelta(seconds=delay)
    if row.attempts >= settings.max_attempts:
        row.status = DEAD
        tally.dead += 1
    tally.failed += 1


def _park(row: ProvincialOutgoing, reason: str, tally: Tally) -> None:
    row.status, row.reason, row.last_error = PARKED, reason[:1000], None
    tally.parked += 1


def _ack(row: ProvincialOutgoing, status: str, tally: Tally) -> None:
    row.status, row.ack, row.pushed_at, row.last_error = ACKED, status, datetime.now(UTC), None
    row.attempts += 1
    tally.acked += 1


async def _fetch(
    monitoring: httpx.AsyncClient, rows: list[ProvincialOutgoing]
) -> dict[tuple[str, int], dict[str, Any]]:
    """The current state of each record, from monitoring-api's API (never its schema)."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        wanted.setdefault(row.entity, set()).add(row.entity_id)
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for entity, ids in wanted.items():
        response = await monitoring.get(f"/service/records/{entity}", params={"ids": sorted(ids)})
        response.raise_for_status()
        for record in ServiceRecords.model_validate_json(response.content).records:
            found[(entity, record.id)] = {"region_code": record.region_code, "data": record.data}
    return found


def _body(row: ProvincialOutgoing, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": str(row.message_id),
        "type": row.entity,
        "local_id": row.entity_id,
        "action": row.payload.get("action"),
        "region_code": record["region_code"],
        "data": record["data"],
        "changed_at": row.received_at.isoformat(),
    }


async def _send(
    province: httpx.AsyncClient,
    settings: ProvinceSettings,
    rows: list[ProvincialOutgoing],
    records: dict[tuple[str, int], dict[str, Any]],
    tally: Tally,
) -> None:
    by_key = {str(row.message_id): row for row in rows}
    body = {"records": [_body(row, records[(row.entity, row.entity_id)]) for row in rows]}
    headers = {"Idempotency-Key": f"dixian-{rows[0].id}-{rows[-1].id}-{len(rows)}"}
    tally.sent += len(rows)
    try:
        response = await province.post("/api/records", json=body, headers=headers)
    except httpx.HTTPError as exc:
        for row in rows:
            _fail(row, f"{type(exc).__name__}: {exc}", settings, tally)
        tally.errors.append(f"{type(exc).__name__}")
        return
    if response.status_code >= 500 or response.status_code in (401, 403, 408, 429):
        for row in rows:
            _fail(row, f"HTTP {response.status_code}: {response.text[:200]}", settings, tally)
        tally.errors.append(f"HTTP {response.status_code}")
        return
    if response.status_code >= 400:
        named = {str(e.get("key")): str(e.get("reason")) for e in _json(response).get("errors", []) if e.get("key")}
        if len(rows) == 1 and not named:
            _park(rows[0], f"HTTP {response.status_code}: {response.text[:500]}", tally)
            return
        for key, reason in named.items():
            if key in by_key:
                _park(by_key.pop(key), reason, tally)
        rest = list(by_key.values())
        # Sent again at once: record by record if the province did not say which one it refused.
        for part in [rest] if named else [[row] for row in rest]:
            if part:
                await _send(province, settings, part, records, tally)
        return
    acked = set()
    for ack in _json(response).get("acks", []):  # duplicates and any order are fine: keyed by our event id
        key = str(ack.get("key"))
        answered = by_key.get(key)
        if answered is None or key in acked:
            continue
        acked.add(key)
        if ack.get("status") in ("accepted", "duplicate"):
            _ack(answered, str(ack["status"]), tally)
        else:
            _park(answered, str(ack.get("reason") or "refused"), tally)
    for key, row in by_key.items():
        if key not in acked:
            _fail(row, "no acknowledgement in the province's answer", settings, tally)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


async def push_batch(
    session: AsyncSession,
    settings: ProvinceSettings,
    monitoring: httpx.AsyncClient,
    province: httpx.AsyncClient,
    tally: Tally,
) -> int:
    """Claim, send and settle one batch; returns how many rows it claimed (0: nothing due)."""
    stmt = (
        select(ProvincialOutgoing)
        .where(ProvincialOutgoing.status == WAITING, ProvincialOutgoing.next_attempt_at <= datetime.now(UTC))
        .order_by(ProvincialOutgoing.id)
        .limit(settings.batch_size)
        .with_for_update(skip_locked=True)
    )
    rows = list((await session.scalars(stmt)).all())
    if not rows:
        await session.rollback()
        return 0
    try:
        records = await _fetch(monitoring, rows)
    except (httpx.HTTPError, ValueError) as exc:
        for row in rows:
            _fail(row, f"monitoring-api: {type(exc).__name__}: {exc}", settings, tally)
        tally.errors.append("monitoring-api unavailable")
        await session.commit()
        return len(rows)
    present = []
    for row in rows:
        if (row.entity, row.entity_id) in records:
            present.append(row)
        else:
            _park(row, "记录已不在登记库中", tally)
    if present:
        await _send(province, settings, present, records, tally)
    await session.commit()
    return len(rows)
