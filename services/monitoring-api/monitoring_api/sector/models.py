"""Tables of department batches: the batch and its parts, the staged rows, the cross-check job and its discrepancies."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from monitoring_api.models import Base, Timestamped, Versioned
from monitoring_api.sector.enums import OPEN_STATUSES

Money = Numeric(14, 2)
# The open statuses as SQL constants (partial indexes match only constants), from their one definition.
OPEN_STATUS_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in OPEN_STATUSES))


class Batch(Base):
    """One push of one data type by one department; its rows are compared only once it is closed."""

    __tablename__ = "sector_batch"
    __table_args__ = (
        # A department's system retries with its own batch id: the same id is the same batch.
        UniqueConstraint("department", "department_batch_id"),
        Index("ix_sector_batch_data_type_id", "data_type", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    department: Mapped[str] = mapped_column(String(20))
    data_type: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(7))
    department_batch_id: Mapped[str] = mapped_column(String(64))
    region_code: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(10))
    opened_by: Mapped[str] = mapped_column(String(120))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    closed_by: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    as_of: Mapped[date | None] = mapped_column(Date)
    rows_received: Mapped[int] = mapped_column(Integer, default=0)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)


class BatchPart(Base):
    """A part of a batch, recognised on resend by its number and the SHA-256 of its (decompressed) content."""

    __tablename__ = "sector_batch_part"

    batch_id: Mapped[int] = mapped_column(ForeignKey("sector_batch.id"), primary_key=True)
    part_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(10))
    encoding: Mapped[str] = mapped_column(String(10))
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_received: Mapped[int] = mapped_column(Integer, default=0)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    received_by: Mapped[str] = mapped_column(String(120))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# Staged rows: written with COPY, read by set-based SQL, never through the ORM. One wide table for every data type;
# each type uses the columns its fields map to (see fields.py). No primary key and no b-tree: index upkeep was most
# of the cost of COPY, and nothing looks a row up by key. Rows of a batch are appended together, so a BRIN index on
# batch_id finds them for a fraction of the cost. No foreign key either (a per-row trigger); only the batch
# service writes here, under a batch it has just locked. Identity (batch, part, line) is unique by construction.
staged_row = Table(
    "sector_row",
    Base.metadata,
    Column("batch_id", BigInteger, nullable=False),
    Column("part_number", Integer, nullable=False),
    Column("line_number", Integer, nullable=False),
    Column("id_number", String(18), nullable=False),
    Column("name", String(50)),
    Column("record_ref", String(64)),
    Column("code", String(40)),
    Column("org", String(100)),
    Column("region_code", String(12)),
    Column("event_date", Date),
    Column("due_date", Date),
    Column("resolved_date", Date),
    Column("amount", Money),
    Column("out_of_pocket", Money),
    Column("note", String(200)),
    Index("ix_sector_row_batch_id", "batch_id", postgresql_using="brin"),
)

row_error = Table(
    "sector_row_error",
    Base.metadata,
    Column("batch_id", BigInteger, primary_key=True),
    Column("part_number", Integer, primary_key=True),
    Column("line_number", Integer, primary_key=True),
    Column("errors", JSONB, nullable=False),
    Column("data", JSONB),
)


class CrosscheckJob(Base):
    """The comparison of one closed batch with the registry, run by the worker."""

    __tablename__ = "crosscheck_job"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("sector_batch.id"), unique=True)
    state: Mapped[str] = mapped_column(String(10))
    rows_loaded: Mapped[int] = mapped_column(Integer, default=0)
    rows_compared: Mapped[int] = mapped_column(Integer, default=0)
    rules_total: Mapped[int] = mapped_column(Integer, default=0)
    rules_done: Mapped[int] = mapped_column(Integer, default=0)
    discrepancies_found: Mapped[int] = mapped_column(Integer, default=0)
    discrepancies_new: Mapped[int] = mapped_column(Integer, default=0)
    discrepancies_resolved: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Discrepancy(Timestamped, Versioned, Base):
    """比对疑点: one finding of one rule about one person, household or problem, routed to its village."""

    __tablename__ = "sector_discrepancy"
    __table_args__ = (
        # The natural key: an open finding is never raised twice, whatever the batch or retry.
        Index(
            "uq_sector_discrepancy_open",
            "data_type",
            "rule",
            "subject_key",
            unique=True,
            postgresql_where=text(OPEN_STATUS_SQL),
        ),
        # 误报 verdicts are looked up so that the same evidence is not raised again.
        Index(
            "ix_sector_discrepancy_false_alarm",
            "data_type",
            "rule",
            "subject_key",
            postgresql_where=text("status = '误报'"),
        ),
        Index("ix_sector_discrepancy_region_id", "region_code", "id"),
        Index("ix_sector_discrepancy_last_batch_id", "last_batch_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    department: Mapped[str] = mapped_column(String(20))
    data_type: Mapped[str] = mapped_column(String(40))
    rule: Mapped[str] = mapped_column(String(40))
    subject_key: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str] = mapped_column(String(12))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    id_number: Mapped[str | None] = mapped_column(String(18))
    registry_data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    department_data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    acted_by: Mapped[str | None] = mapped_column(String(120))
    acted_by_name: Mapped[str | None] = mapped_column(String(100))
    acted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_batch_id: Mapped[int] = mapped_column(ForeignKey("sector_batch.id"))
    last_batch_id: Mapped[int] = mapped_column(ForeignKey("sector_batch.id"))
    resolved_batch_id: Mapped[int | None] = mapped_column(ForeignKey("sector_batch.id"))


class DiscrepancyAction(Base):
    """Who moved a discrepancy from one status to another, and why (the village's work on it)."""

    __tablename__ = "sector_discrepancy_action"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    discrepancy_id: Mapped[int] = mapped_column(ForeignKey("sector_discrepancy.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    actor_name: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
