"""The district's side of the sync: the state, replays of parked and dead records and of held province updates,
resolving conflicts."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit
from dixian_shared.auth.principal import Principal
from dixian_shared.errors import NotFound
from dixian_worker.sync import repository
from dixian_worker.sync.errors import ConflictResolved
from dixian_worker.sync.models import Conflict
from dixian_worker.sync.schemas import Resolution, RunRead, SyncState


async def state(session: AsyncSession) -> SyncState:
    counts = await repository.ledger_counts(session)
    push, pull = await repository.last_run(session, "push"), await repository.last_run(session, "pull")
    pushed_ok = await repository.last_run(session, "push", "成功")
    pulled_ok = await repository.last_run(session, "pull", "成功")
    point = await repository.checkpoint(session)
    return SyncState(
        last_push=RunRead.model_validate(push) if push else None,
        last_pull=RunRead.model_validate(pull) if pull else None,
        last_successful_push_at=pushed_ok.finished_at if pushed_ok else None,
        last_successful_pull_at=pulled_ok.finished_at if pulled_ok else None,
        pull_cursor=point.cursor if point else 0,
        backlog=counts.get("待推送", 0),
        parked=counts.get("已搁置", 0),
        dead=counts.get("死信", 0),
        conflicts=await repository.open_conflicts(session),
        unmatched=await repository.inbound_count(session, "未匹配"),
        refused=await repository.inbound_count(session, "已拒绝"),
    )


async def replay(session: AsyncSession, status: str, ids: list[int] | None) -> int:
    replayed = await repository.replay(session, status, ids)
    if replayed:
        await audit.record(session, "provincial_outgoing", "replay", "update", {"ids": [None, replayed]})
    return len(replayed)


async def replay_updates(session: AsyncSession, status: str, seqs: list[int] | None) -> int:
    """Province updates kept as 已拒绝 or 未匹配 sent to monitoring-api again at the next pull run. Only rows still
    in that status move, so a second replay (or a retry) changes nothing and writes no audit row."""
    replayed = await repository.replay_inbound(session, status, seqs)
    if replayed:
        changes = {"seqs": [None, replayed], "status": [status, "待应用"]}
        await audit.record(session, "provincial_inbound", "replay", "update", changes)
    return len(replayed)


async def resolve(session: AsyncSession, principal: Principal, conflict_id: int, data: Resolution) -> Conflict:
    conflict = await repository.conflict_for_update(session, conflict_id)
    if conflict is None:
        raise NotFound(entity="conflict", key=conflict_id)
    if conflict.status != "待处理":
        raise ConflictResolved(conflict_id=conflict_id, kept=conflict.kept, rule="conflict-resolved-once")
    update = await repository.inbound(session, conflict.seq)
    assert update is not None
    if data.keep == "province":
        update.status = "待应用"  # the next pull run hands it to monitoring-api
    else:
        update.status = "保留本地"
        region = next((c["region_code"] for c in conflict.local_changes if c.get("region_code")), None)
        if conflict.household_local_id is not None and region is not None:
            session.add(repository.repush(conflict.household_local_id, region, principal.subject))
    conflict.status, conflict.kept, conflict.note = "已处理", data.keep, data.note
    conflict.resolved_by, conflict.resolved_at = principal.subject, datetime.now(UTC)
    await session.flush()
    return conflict
