"""Every inbox and delivery query. A person reads only their own messages: those addressed to them, and those
addressed to their place and role (a place that had no user account when the message was made)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.pagination import PageParams, apply_keyset
from dixian_worker.notifications.models import DeliveryAttempt, Notification, WebhookDelivery

DEAD = "死信"


def user_id_of(principal: Principal) -> int | None:
    subject = principal.subject.removeprefix("user:")
    return int(subject) if subject.isdigit() else None


def mine(principal: Principal) -> ColumnElement[bool]:
    to_place = and_(
        Notification.user_id.is_(None),
        Notification.region_code == principal.region_code,
        Notification.role == principal.role.value,
    )
    user_id = user_id_of(principal)
    return to_place if user_id is None else or_(Notification.user_id == user_id, to_place)


async def list_inbox(
    session: AsyncSession, principal: Principal, params: PageParams, *, unread: bool | None
) -> Sequence[Notification]:
    stmt = select(Notification).where(mine(principal))
    if unread is not None:
        stmt = stmt.where(Notification.read_at.is_(None) if unread else Notification.read_at.is_not(None))
    return (await session.scalars(apply_keyset(stmt, [Notification.id], params))).all()


async def unread_count(session: AsyncSession, principal: Principal) -> int:
    stmt = select(func.count()).where(mine(principal), Notification.read_at.is_(None))
    return int(await session.scalar(stmt) or 0)


async def get_mine(session: AsyncSession, principal: Principal, notification_id: int) -> Notification | None:
    return await session.scalar(select(Notification).where(Notification.id == notification_id, mine(principal)))


async def get_any(session: AsyncSession, notification_id: int) -> Notification | None:
    return await session.get(Notification, notification_id)


async def delivery_of(session: AsyncSession, notification_id: int) -> WebhookDelivery | None:
    return await session.get(WebhookDelivery, notification_id)


async def attempts_of(session: AsyncSession, notification_id: int) -> Sequence[DeliveryAttempt]:
    stmt = select(DeliveryAttempt).where(DeliveryAttempt.notification_id == notification_id)
    return (await session.scalars(stmt.order_by(DeliveryAttempt.id))).all()


async def dead_letters(session: AsyncSession, params: PageParams) -> Sequence[Row[*tuple[Any, ...]]]:
    stmt = (
        select(
            WebhookDelivery.notification_id,
            Notification.recipient,
            Notification.title,
            WebhookDelivery.attempts,
            WebhookDelivery.last_error,
        )
        .join(Notification, Notification.id == WebhookDelivery.notification_id)
        .where(WebhookDelivery.status == DEAD)
    )
    return (await session.execute(apply_keyset(stmt, [WebhookDelivery.notification_id], params))).all()


REPLAY_LOG = text("""
INSERT INTO worker.delivery_attempt (notification_id, attempt, outcome, error)
SELECT notification_id, attempts, '重放', :who FROM worker.webhook_delivery
WHERE notification_id = ANY(CAST(:ids AS bigint[]))
""")


async def replay(session: AsyncSession, ids: list[int] | None, who: str) -> list[int]:
    """Dead letters back to 待发送 with a fresh count of tries; returns the ids replayed."""
    stmt = (
        update(WebhookDelivery)
        .where(WebhookDelivery.status == DEAD)
        .values(status="待发送", attempts=0, next_attempt_at=func.now())
        .returning(WebhookDelivery.notification_id)
    )
    if ids is not None:
        stmt = stmt.where(WebhookDelivery.notification_id.in_(ids))
    replayed = list((await session.scalars(stmt)).all())
    if replayed:
        await session.execute(REPLAY_LOG, {"ids": replayed, "who": f"replayed by {who}"})
    return replayed
