"""The inbox (one row per message and recipient), the webhook delivery of each message and its attempts."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Identity, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from dixian_worker.models import Base


class Notification(Base):
    """A message to one recipient: a user (`user:<id>`) or, where the place has no user yet, the place itself
    (`region:<code>`), which the users of that place and role later see. (slot, recipient) is unique: a run repeated
    or resumed after a crash finds its messages already there and adds none."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("uq_notification_slot_recipient", "slot", "recipient", unique=True),
        Index("ix_notification_user_id_id", "user_id", "id"),
        Index("ix_notification_region_role_id", "region_code", "role", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    slot: Mapped[str] = mapped_column(String(80))
    recipient: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    region_code: Mapped[str] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    summary: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebhookDelivery(Base):
    """The gateway delivery of a message: 待发送 → 已送达, or 死信 after the last failed try (the district replays)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index(
            "ix_webhook_delivery_due", "next_attempt_at", "notification_id", postgresql_where=text("status = '待发送'")
        ),
    )

    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), server_default="待发送")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class DeliveryAttempt(Base):
    """The delivery log: every try of every message, with the gateway's answer."""

    __tablename__ = "delivery_attempt"
    __table_args__ = (Index("ix_delivery_attempt_notification_id", "notification_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id"))
    attempt: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    status_code: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(10))  # 已送达 / 失败 / 死信 / 重放
    error: Mapped[str | None] = mapped_column(Text)
