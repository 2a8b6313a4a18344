"""The provincial pull: the province's change feed read from a saved checkpoint, page by page, then applied.

Each page is stored (keyed by the province's sequence number) together with the advanced checkpoint in one
transaction: a run that crashes resumes after the last page it committed, and a page read twice stores nothing twice.
An update about a household that was also changed here since the last pull becomes a conflict for the district;
the others are handed to monitoring-api (POST /service/province-updates), which records them once.
"""

import logging
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import PROVINCE_ACTION, ProvinceUpdate, ProvinceUpdateResult
from dixian_worker.models import ProvincialOutgoing
from dixian_worker.sync.models import Checkpoint, Conflict, InboundUpdate

log = logging.getLogger(__name__)

FEED = "updates"
PENDING, CONFLICT = "待应用", "冲突"
OUTCOME_STATUS = {"applied": "已应用", "unchanged": "无变化", "unmatched": "未匹配", "recorded": "已记录"}


async def checkpoint(session: AsyncSession) -> Checkpoint:
    await session.execute(insert(Checkpoint).values(name=FEED).on_conflict_do_nothing())
    found = await session.scalar(select(Checkpoint).where(Checkpoint.name == FEED).with_for_update())
    assert found is not None
    return found


async def _local_changes(session: AsyncSession, update: ProvinceUpdate, since: datetime | None) -> list[dict[str, Any]]:
    """Changes made here to the household (or the person) the update is about, since the last pull."""
    about = []
    if update.household_local_id is not None:
        about.append(
            and_(ProvincialOutgoing.entity == "household", ProvincialOutgoing.entity_id == update.household_local_id)
        )
    if update.id_number is not None:
        about.append(ProvincialOutgoing.payload["id_number"].astext == update.id_number)
    if not about:
        return []
    stmt = select(ProvincialOutgoing).where(or_(*about), ProvincialOutgoing.payload["action"].astext != PROVINCE_ACTION)
    if since is not None:
        stmt = stmt.where(ProvincialOutgoing.received_at > since)
    rows = (await session.scalars(stmt.order_by(ProvincialOutgoing.id))).all()
    return [
        {
            "ledger_id": r.id,
            "topic": r.topic,
            "entity": r.entity,
            "entity_id": r.entity_id,
            "at": r.received_at.isoformat(),
        }
        for r in rows
    ]


async def read_page(session: AsyncSession, province: httpx.AsyncClient, page_size: int) -> tuple[int, int]:
    """Read and store one page after the checkpoint; returns (updates stored, conflicts). Raises on HTTP errors."""
    point = await checkpoint(session)
    response = await province.get("/api/updates", params={"cursor": point.cursor, "limit": page_size})
    response.raise_for_status()
    body = response.json()
    updates = [ProvinceUpdate.model_validate(u) for u in body.get("updates", [])]
    conflicts = 0
    for update in updates:
        local = await _local_changes(session, update, point.synced_at)
        status = CONFLICT if local else PENDING
        stored = await session.scalar(
            insert(InboundUpdate)
            .values(
                seq=update.seq,
                type=update.type,
                household_local_id=update.household_local_id,
                id_number=update.id_number,
                payload=update.model_dump(mode="json"),
                status=status,
            )
            .on_conflict_do_nothing()
            .returning(InboundUpdate.seq)
        )
        if stored is not None and local:
            conflicts += 1
            session.add(
                Conflict(
                    seq=update.seq,
                    household_local_id=update.household_local_id,
                    id_number=update.id_number,
                    local_changes=local,
                    province_update=update.model_dump(mode="json"),
                )
            )
    if updates:
        point.cursor = max(int(body.get("next_cursor") or 0), updates[-1].seq)
    point.synced_at = datetime.now(UTC)
    await session.commit()
    return len(updates), conflicts


async def apply_pending(
    session: AsyncSession, monitoring: httpx.AsyncClient, limit: int = 500
) -> tuple[int, list[str]]:
    """Hand the stored updates to monitoring-api in order; returns (applied, errors). Each outcome is committed."""
    rows = (
        await session.scalars(
            select(InboundUpdate)
            .where(InboundUpdate.status == PENDING)
            .order_by(InboundUpdate.seq)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    done, errors = 0, []
    for row in rows:
        try:
            response = await monitoring.post("/service/province-updates", json=row.payload)
            response.raise_for_status()
            result = ProvinceUpdateResult.model_validate_json(response.content)
        except (httpx.HTTPError, ValueError) as exc:
            row.error = f"{type(exc).__name__}: {exc}"[:500]
            errors.append("monitoring-api did not take an update")
            break  # in order: the rest wait for the next run
        row.status, row.applied_at, row.error = OUTCOME_STATUS[result.outcome], datetime.now(UTC), None
        done += 1
    await session.commit()
    return done, errors
