"""Every query of the sync's API: the state in one round of counts, ledger and conflict lists, replays."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.pagination import PageParams, apply_keyset
from dixian_worker.models import ProvincialOutgoing
from dixian_worker.sync.models import Checkpoint, Conflict, InboundUpdate, SyncRun


async def last_run(session: AsyncSession, kind: str, status: str | None = None) -> SyncRun | None:
    stmt = select(SyncRun).where(SyncRun.kind == kind)
    if status is not None:
        stmt = stmt.where(SyncRun.status == status)
    return await session.scalar(stmt.order_by(SyncRun.id.desc()).limit(1))


async def ledger_counts(session: AsyncSession) -> dict[str, int]:
    stmt = select(ProvincialOutgoing.status, func.count()).group_by(ProvincialOutgoing.status)
    return {status: int(count) for status, count in (await session.execute(stmt)).all()}


async def open_conflicts(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).where(Conflict.status == "待处理")) or 0)


async def inbound_count(session: AsyncSession, status: str) -> int:
    return int(await session.scalar(select(func.count()).where(InboundUpdate.status == status)) or 0)


async def checkpoint(session: AsyncSession) -> Checkpoint | None:
    return await session.get(Checkpoint, "updates")


async def ledger(session: AsyncSession, params: PageParams, status: str | None) -> Sequence[ProvincialOutgoing]:
    stmt = select(ProvincialOutgoing)
    if status is not None:
        stmt = stmt.where(ProvincialOutgoing.status == status)
    return (await session.scalars(apply_keyset(stmt, [ProvincialOutgoing.id], params))).all()


async def replay(session: AsyncSession, status: str, ids: list[int] | None) -> list[int]:
    stmt = (
        update(ProvincialOutgoing)
        .where(ProvincialOutgoing.status == status)
        .values(status="待推送", attempts=0, next_attempt_at=func.now(), reason=None)
        .returning(ProvincialOutgoing.id)
    )
    if ids is not None:
        stmt = stmt.where(ProvincialOutgoing.id.in_(ids))
    return list((await session.scalars(stmt)).all())


async def replay_inbound(session: AsyncSession, status: str, seqs: list[int] | None) -> list[int]:
    """Updates held in `status` back to 待应用 (the next pull run applies them in order); the seqs, ascending."""
    stmt = (
        update(InboundUpdate)
        .where(InboundUpdate.status == status)
        .values(status="待应用", error=None, applied_at=None)
        .returning(InboundUpdate.seq)
    )
    if seqs is not None:
        stmt = stmt.where(InboundUpdate.seq.in_(seqs))
    return sorted((await session.scalars(stmt)).all())


async def conflicts(session: AsyncSession, params: PageParams, status: str | None) -> Sequence[Conflict]:
    stmt = select(Conflict)
    if status is not None:
        stmt = stmt.where(Conflict.status == status)
    return (await session.scalars(apply_keyset(stmt, [Conflict.id], params))).all()


async def conflict_for_update(session: AsyncSession, conflict_id: int) -> Conflict | None:
    return await session.get(Conflict, conflict_id, with_for_update=True)


async def inbound(session: AsyncSession, seq: int) -> InboundUpdate | None:
    return await session.get(InboundUpdate, seq, with_for_update=True)


async def inbound_list(session: AsyncSession, params: PageParams, status: str | None) -> Sequence[InboundUpdate]:
    stmt = select(InboundUpdate)
    if status is not None:
        stmt = stmt.where(InboundUpdate.status == status)
    return (await session.scalars(apply_keyset(stmt, [InboundUpdate.seq], params))).all()


def repush(household_id: int, region_code: str, by: str) -> ProvincialOutgoing:
    """A fresh change of the household, so the province receives our version after a conflict kept it."""
    payload: dict[str, Any] = {"action": "conflict_kept_local", "by": by}
    return ProvincialOutgoing(
        message_id=uuid.uuid4(),
        topic="monitoring.household.changed",
        entity="household",
        entity_id=household_id,
        region_code=region_code,
        payload=payload,
        received_at=datetime.now().astimezone(),
    )
