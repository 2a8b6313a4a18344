"""The tables every service keeps in its own schema: audit log, outbox, idempotency keys and the region tree."""

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID


@dataclass(frozen=True)
class CommonTables:
    audit_log: Table
    outbox: Table
    idempotency_key: Table
    region: Table


def declare_common_tables(metadata: MetaData) -> CommonTables:
    audit_log = Table(
        "audit_log",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("actor", String(120), nullable=False),
        Column("actor_role", String(20)),
        Column("request_id", String(64)),
        Column("entity", String(60), nullable=False),
        Column("entity_id", String(64), nullable=False),
        Column("action", String(10), nullable=False),
        Column("changes", JSONB, nullable=False),
        Index(None, "entity", "entity_id", "id"),
    )
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("message_id", UUID(as_uuid=True), nullable=False, unique=True, server_default=text("gen_random_uuid()")),
        Column("actor_name", String(120), nullable=False),
        Column("queue_name", String(60), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        Index("ix_outbox_pending", "id", postgresql_where=text("published_at IS NULL")),
    )
    idempotency_key = Table(
        "idempotency_key",
        metadata,
        Column("principal", String(120), primary_key=True),
        Column("key", String(200), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer),
        Column("response_headers", JSONB),
        Column("response_body", LargeBinary),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    region = Table(
        "region",
        metadata,
        Column("code", String(12), primary_key=True),
        Column("name", String(100), nullable=False),
        Column("level", String(10), nullable=False),
        Column("parent_code", String(12)),
        Column("note", Text),
    )
    return CommonTables(audit_log=audit_log, outbox=outbox, idempotency_key=idempotency_key, region=region)
