"""Routes of the inbox (each person their own messages) and of the gateway deliveries (the district)."""

from typing import Annotated

from fastapi import Depends, Path

from dixian_shared.auth.deps import CurrentPrincipal, require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from dixian_worker.notifications import repository, service
from dixian_worker.notifications.schemas import (
    DeadLetter,
    DeliveryRead,
    NotificationRead,
    Replay,
    Replayed,
    UnreadCount,
)

router = make_router(tags=["notifications"])

Paging = Annotated[PageParams, Depends(page_params)]
District = Annotated[Principal, Depends(require_roles(Role.district))]
NotificationId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/notifications", response_model=Page[NotificationRead], summary="My inbox, oldest first")
async def inbox(
    session: DbSession, principal: CurrentPrincipal, params: Paging, unread: bool | None = None
) -> Page[NotificationRead]:
    rows = await service.inbox(session, principal, params, unread)
    items, cursor = make_page(rows, params, lambda n: [n.id])
    return Page(items=[NotificationRead.model_validate(n) for n in items], next_cursor=cursor)


@router.get("/notifications/unread-count", response_model=UnreadCount, summary="How many of my messages are unread")
async def unread_count(session: DbSession, principal: CurrentPrincipal) -> UnreadCount:
    return UnreadCount(unread=await service.unread(session, principal))


@router.post(
    "/notifications/{notification_id}/read", response_model=NotificationRead, summary="Mark one of my messages read"
)
async def mark_read(
    session: DbSession, principal: CurrentPrincipal, notification_id: NotificationId
) -> NotificationRead:
    return NotificationRead.model_validate(await service.mark_read(session, principal, notification_id))


@router.get(
    "/notifications/{notification_id}/delivery",
    response_model=DeliveryRead,
    summary="The gateway delivery of a message and every try (its recipient, or the district)",
)
async def delivery(session: DbSession, principal: CurrentPrincipal, notification_id: NotificationId) -> DeliveryRead:
    return await service.delivery(session, principal, notification_id)


@router.get(
    "/deliveries/dead", response_model=Page[DeadLetter], summary="Dead letters: messages the gateway never took"
)
async def dead_letters(session: DbSession, _district: District, params: Paging) -> Page[DeadLetter]:
    rows = await repository.dead_letters(session, params)
    items, cursor = make_page(rows, params, lambda r: [r.notification_id])
    return Page(items=[DeadLetter.model_validate(r) for r in items], next_cursor=cursor)


@router.post("/deliveries/replay", response_model=Replayed, summary="Send dead letters again (all, or the ones named)")
async def replay(session: DbSession, principal: District, body: Replay) -> Replayed:
    return Replayed(replayed=await service.replay(session, principal, body.notification_ids))
