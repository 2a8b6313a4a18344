"""Routes of the provincial sync for the district: state, ledger, replays, conflicts, the province's updates."""

from typing import Annotated

from fastapi import Depends, Path, Query

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from dixian_worker.sync import admin, repository
from dixian_worker.sync.schemas import (
    ConflictRead,
    InboundRead,
    InboundReplay,
    LedgerRead,
    LedgerReplay,
    Replayed,
    Resolution,
    SyncState,
)

router = make_router(tags=["provincial sync"])

District = Annotated[Principal, Depends(require_roles(Role.district))]
Paging = Annotated[PageParams, Depends(page_params)]
LedgerStatus = Annotated[str | None, Query(pattern="^(待推送|已确认|已搁置|死信)$")]
InboundStatus = Annotated[str | None, Query(pattern="^(待应用|已应用|无变化|未匹配|已拒绝|冲突|保留本地|已记录)$")]


@router.get("/sync/state", response_model=SyncState, summary="Last push and pull, backlog, parked, dead, conflicts")
async def sync_state(session: DbSession, _district: District) -> SyncState:
    return await admin.state(session)


@router.get("/sync/records", response_model=Page[LedgerRead], summary="The push ledger, record by record")
async def ledger(
    session: DbSession, _district: District, params: Paging, status: LedgerStatus = None
) -> Page[LedgerRead]:
    rows = await repository.ledger(session, params, status)
    items, cursor = make_page(rows, params, lambda r: [r.id])
    return Page(items=[LedgerRead.model_validate(r) for r in items], next_cursor=cursor)


@router.post("/sync/records/replay", response_model=Replayed, summary="Send parked or dead records again")
async def replay(session: DbSession, _district: District, body: LedgerReplay) -> Replayed:
    return Replayed(replayed=await admin.replay(session, body.status, body.ids))


@router.get("/sync/conflicts", response_model=Page[ConflictRead], summary="Households changed on both sides")
async def conflicts(
    session: DbSession,
    _district: District,
    params: Paging,
    status: Annotated[str | None, Query(pattern="^(待处理|已处理)$")] = None,
) -> Page[ConflictRead]:
    rows = await repository.conflicts(session, params, status)
    items, cursor = make_page(rows, params, lambda r: [r.id])
    return Page(items=[ConflictRead.model_validate(r) for r in items], next_cursor=cursor)


@router.post(
    "/sync/conflicts/{conflict_id}/resolve",
    response_model=ConflictRead,
    summary="Keep the province's version (applied next pull) or ours (pushed again)",
)
async def resolve(
    session: DbSession,
    principal: District,
    conflict_id: Annotated[int, Path(ge=1, le=2**62)],
    body: Resolution,
) -> ConflictRead:
    return ConflictRead.model_validate(await admin.resolve(session, principal, conflict_id, body))


@router.get(
    "/sync/updates",
    response_model=Page[InboundRead],
    summary="The province's updates as pulled, in feed order; ?status=未匹配 or 已拒绝: the held ones, with the reason",
)
async def updates(
    session: DbSession, _district: District, params: Paging, status: InboundStatus = None
) -> Page[InboundRead]:
    rows = await repository.inbound_list(session, params, status)
    items, cursor = make_page(rows, params, lambda r: [r.seq])
    return Page(items=[InboundRead.model_validate(r) for r in items], next_cursor=cursor)


@router.post(
    "/sync/updates/replay",
    response_model=Replayed,
    summary="Send province updates kept as 已拒绝 or 未匹配 to the registry again (applied in order at the next pull)",
)
async def replay_updates(session: DbSession, _district: District, body: InboundReplay) -> Replayed:
    return Replayed(replayed=await admin.replay_updates(session, body.status, body.seqs))
