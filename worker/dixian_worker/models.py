"""Tables of the worker schema: the declarative base, the common tables, claimed schedule slots."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import BigInteger, DateTime, Identity, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dixian_shared.db import schema_metadata
from dixian_shared.tables import declare_common_tables
from dixian_worker.settings import SCHEMA


class Base(DeclarativeBase):
    metadata = schema_metadata(SCHEMA)


# The worker's own API (inbox, deliveries, sync state) is a service app like the others: audit log, idempotency keys
# and a copy of the region tree in its schema. Its outbox stays empty.
COMMON = declare_common_tables(Base.metadata)


class ScheduleSlot(Base):
    """One row per (actor, slot): the primary key is what makes a slot fire once across schedulers and restarts."""

    __tablename__ = "schedule_slot"

    actor_name: Mapped[str] = mapped_column(String(120), primary_key=True)
    slot_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    fired_by: Mapped[str] = mapped_column(String(120))


class ProvincialOutgoing(Base):
    """The push ledger: one row per registry change to send, acknowledged by the province record by record.

    待推送 (waiting or retrying after `next_attempt_at`) → 已确认 (the province acknowledged it: accepted, or a
    duplicate of what it already had), 已搁置 (refused with a reason: fix and replay) or 死信 (failed max_attempts
    times: replay). The event id is the province's idempotency key, so a retried record is stored there once.
    """

    __tablename__ = "provincial_outgoing"
    __table_args__ = (
        Index("ix_provincial_outgoing_pending", "id", postgresql_where=text("pushed_at IS NULL")),
        Index("ix_provincial_outgoing_due", "next_attempt_at", "id", postgresql_where=text("status = '待推送'")),
        Index("ix_provincial_outgoing_entity", "entity", "entity_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    message_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), unique=True)
    topic: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    region_code: Mapped[str] = mapped_column(String(12))
    payload: Mapped[dict[str, object]] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    pushed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # acknowledged by the province
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), server_default="待推送")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    ack: Mapped[str | None] = mapped_column(String(20))  # accepted / duplicate, as the province answered
    reason: Mapped[str | None] = mapped_column(Text)  # why the province refused it
