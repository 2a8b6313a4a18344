"""Inbox and delivery rules: own messages only; the district reads any delivery log and replays dead letters."""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit, outbox
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.contracts import DELIVER_NOTIFICATIONS
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from dixian_worker.notifications import repository
from dixian_worker.notifications.models import Notification
from dixian_worker.notifications.schemas import AttemptRead, DeliveryRead


async def inbox(
    session: AsyncSession, principal: Principal, params: PageParams, unread: bool | None
) -> Sequence[Notification]:
    return await repository.list_inbox(session, principal, params, unread=unread)


async def unread(session: AsyncSession, principal: Principal) -> int:
    return await repository.unread_count(session, principal)


async def require_mine(session: AsyncSession, principal: Principal, notification_id: int) -> Notification:
    found = await repository.get_mine(session, principal, notification_id)
    if found is None:
        raise NotFound(entity="notification", key=notification_id)
    return found


async def mark_read(session: AsyncSession, principal: Principal, notification_id: int) -> Notification:
    notification = await require_mine(session, principal, notification_id)
    if notification.read_at is None:
        notification.read_at = datetime.now(UTC)
        await session.flush()
    return notification


async def delivery(session: AsyncSession, principal: Principal, notification_id: int) -> DeliveryRead:
    if principal.role == Role.district and principal.kind == "user":
        notification = await repository.get_any(session, notification_id)
        if notification is None:
            raise NotFound(entity="notification", key=notification_id)
    else:
        notification = await require_mine(session, principal, notification_id)
    state = await repository.delivery_of(session, notification_id)
    log = await repository.attempts_of(session, notification_id)
    return DeliveryRead(
        notification_id=notification.id,
        recipient=notification.recipient,
        title=notification.title,
        status=state.status if state else None,
        attempts=state.attempts if state else 0,
        delivered_at=state.delivered_at if state else None,
        last_error=state.last_error if state else None,
        log=[AttemptRead.model_validate(a) for a in log],
    )


async def replay(session: AsyncSession, principal: Principal, ids: list[int] | None) -> int:
    replayed = await repository.replay(session, ids, principal.subject)
    if replayed:
        await audit.record(session, "webhook_delivery", "replay", "update", {"notification_ids": [None, replayed]})
        await outbox.enqueue(session, DELIVER_NOTIFICATIONS)
    return len(replayed)
