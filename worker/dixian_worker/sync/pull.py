"""The provincial pull: the province's change feed read from a saved checkpoint, page by page, then applied.

Each page is stored (keyed by the province's sequence number) together with the advanced checkpoint in one
transaction: a run that crashes resumes after the last page it committed, and a page read twice stores nothing twice.
An update about a household that was also changed here since the last pull becomes a conflict for the district;
the others are handed to monitoring-api (POST /service/province-updates), which applies each once. An update that
cannot be read (not the contract's shape, or carrying a NUL character PostgreSQL keeps in neither text nor jsonb)
or that monitoring-api refuses as bad input (400/422) is kept as 已拒绝 with the reason and never holds up the ones
after it; any other failure stops the run, the rest wait in order.
An update kept as 已拒绝 or 未匹配 goes back to 待应用 when the district replays it (sync/admin.replay_updates), and
is applied in the order of the feed at the next run.
"""

import logging
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import ValidationError
from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import PROVINCE_ACTION, ProvinceUpdate, ProvinceUpdateResult
from dixian_worker.models import ProvincialOutgoing
from dixian_worker.sync.models import Checkpoint, Conflict, InboundUpdate

log = logging.getLogger(__name__)

FEED = "updates"
PENDING, CONFLICT, REFUSED, UNMATCHED = "待应用", "冲突", "已拒绝", "未匹配"
OUTCOME_STATUS = {"applied": "已应用", "unchanged": "无变化", "unmatched": UNMATCHED}
UNMATCHED_REASON = "登记库中没有该户：户编号与身份证号均未匹配到在册农户"
REPLAYABLE = (REFUSED, UNMATCHED)  # held back by monitoring-api's answer; the district may send them again
REFUSALS = (400, 422)  # the update itself is bad: monitoring-api will never take it
NUL_REASON = "含有空字符（U+0000），无法保存；已替换为 U+FFFD 保留原样供核查"


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
    raw_updates = body.get("updates", [])
    conflicts, last_seq = 0, 0
    for raw in raw_updates:
        kept = _without_nul(raw)
        if kept != raw:
            last_seq = max(last_seq, await _store_unreadable(session, kept, NUL_REASON))
            continue
        try:
            update = ProvinceUpdate.model_validate(raw)
        except ValidationError as exc:
            reason = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
            last_seq = max(last_seq, await _store_unreadable(session, raw, reason))
            continue
        last_seq = max(last_seq, update.seq)
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
    if raw_updates:
        point.cursor = max(int(body.get("next_cursor") or 0), last_seq)
    point.synced_at = datetime.now(UTC)
    await session.commit()
    return len(raw_updates), conflicts


def _without_nul(value: Any) -> Any:
    """The update with every U+0000 replaced by U+FFFD, so that it can be kept (and shown) as it came otherwise."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value


async def _store_unreadable(session: AsyncSession, raw: Any, reason: str) -> int:
    """Keep an update not in the contract's shape as 已拒绝 with the reason; its seq. Without a usable seq the page
    cannot be placed in the feed, so it fails as a whole (ValueError) and the checkpoint stays where it was."""
    seq = raw.get("seq") if isinstance(raw, dict) else None
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= 2**62:
        raise ValueError(f"an update without a usable seq ({reason}): {str(raw)[:200]}")
    await session.execute(
        insert(InboundUpdate)
        .values(seq=seq, type=str(raw.get("type"))[:30], payload=raw, status=REFUSED, error=reason[:500])
        .on_conflict_do_nothing()
    )
    return seq


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
            if response.status_code in REFUSALS:
                row.status, row.error = REFUSED, response.text[:500]
                continue
            response.raise_for_status()
            result = ProvinceUpdateResult.model_validate_json(response.content)
        except (httpx.HTTPError, ValueError) as exc:
            row.error = f"{type(exc).__name__}: {exc}"[:500]
            errors.append("monitoring-api did not take an update")
            break  # in order: the rest wait for the next run
        row.status, row.applied_at = OUTCOME_STATUS[result.outcome], datetime.now(UTC)
        row.error = UNMATCHED_REASON if result.outcome == "unmatched" else None
        done += 1
    await session.commit()
    return done, errors
