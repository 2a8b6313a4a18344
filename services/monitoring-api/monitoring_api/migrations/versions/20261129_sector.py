"""sector departments: batches, staged rows, cross-check jobs and discrepancies

Revision ID: m06_sector
Revises: 590abf61dfd1
Create Date: 2026-11-29 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "m06_sector"
down_revision: str | None = "590abf61dfd1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status IN ('待核实', '已核实')")


def upgrade() -> None:
    op.create_table(
        "sector_batch",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("department", sa.String(length=20), nullable=False),
        sa.Column("data_type", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("department_batch_id", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("opened_by", sa.String(length=120), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("closed_by", sa.String(length=120), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("rows_received", sa.Integer(), nullable=False),
        sa.Column("rows_accepted", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sector_batch")),
        sa.UniqueConstraint(
            "department", "department_batch_id", name=op.f("uq_sector_batch_department_department_batch_id")
        ),
        schema="monitoring",
    )
    op.create_index("ix_sector_batch_data_type_id", "sector_batch", ["data_type", "id"], schema="monitoring")
    op.create_table(
        "sector_batch_part",
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("part_number", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("encoding", sa.String(length=10), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("rows_received", sa.Integer(), nullable=False),
        sa.Column("rows_accepted", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("received_by", sa.String(length=120), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["monitoring.sector_batch.id"], name=op.f("fk_sector_batch_part_batch_id_sector_batch")
        ),
        sa.PrimaryKeyConstraint("batch_id", "part_number", name=op.f("pk_sector_batch_part")),
        schema="monitoring",
    )
    op.create_table(
        "sector_row",
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("part_number", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=True),
        sa.Column("record_ref", sa.String(length=64), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("org", sa.String(length=100), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("resolved_date", sa.Date(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("out_of_pocket", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        schema="monitoring",
    )
    op.create_index("ix_sector_row_batch_id", "sector_row", ["batch_id"], schema="monitoring", postgresql_using="brin")
    op.create_table(
        "sector_row_error",
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("part_number", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("errors", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.PrimaryKeyConstraint("batch_id", "part_number", "line_number", name=op.f("pk_sector_row_error")),
        schema="monitoring",
    )
    op.create_table(
        "crosscheck_job",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("rows_loaded", sa.Integer(), nullable=False),
        sa.Column("rows_compared", sa.Integer(), nullable=False),
        sa.Column("rules_total", sa.Integer(), nullable=False),
        sa.Column("rules_done", sa.Integer(), nullable=False),
        sa.Column("discrepancies_found", sa.Integer(), nullable=False),
        sa.Column("discrepancies_new", sa.Integer(), nullable=False),
        sa.Column("discrepancies_resolved", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["monitoring.sector_batch.id"], name=op.f("fk_crosscheck_job_batch_id_sector_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crosscheck_job")),
        sa.UniqueConstraint("batch_id", name=op.f("uq_crosscheck_job_batch_id")),
        schema="monitoring",
    )
    op.create_table(
        "sector_discrepancy",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("department", sa.String(length=20), nullable=False),
        sa.Column("data_type", sa.String(length=40), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("subject_key", sa.String(length=80), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=True),
        sa.Column("household_id", sa.BigInteger(), nullable=True),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("registry_data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("department_data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("acted_by", sa.String(length=120), nullable=True),
        sa.Column("acted_by_name", sa.String(length=100), nullable=True),
        sa.Column("acted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_batch_id", sa.BigInteger(), nullable=False),
        sa.Column("last_batch_id", sa.BigInteger(), nullable=False),
        sa.Column("resolved_batch_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["monitoring.member.id"], name=op.f("fk_sector_discrepancy_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["monitoring.household.id"], name=op.f("fk_sector_discrepancy_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["first_batch_id"],
            ["monitoring.sector_batch.id"],
            name=op.f("fk_sector_discrepancy_first_batch_id_sector_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["last_batch_id"],
            ["monitoring.sector_batch.id"],
            name=op.f("fk_sector_discrepancy_last_batch_id_sector_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_batch_id"],
            ["monitoring.sector_batch.id"],
            name=op.f("fk_sector_discrepancy_resolved_batch_id_sector_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sector_discrepancy")),
        schema="monitoring",
    )
    op.create_index(
        "uq_sector_discrepancy_open",
        "sector_discrepancy",
        ["data_type", "rule", "subject_key"],
        unique=True,
        schema="monitoring",
        postgresql_where=OPEN,
    )
    op.create_index(
        "ix_sector_discrepancy_false_alarm",
        "sector_discrepancy",
        ["data_type", "rule", "subject_key"],
        schema="monitoring",
        postgresql_where=sa.text("status = '误报'"),
    )
    op.create_index("ix_sector_discrepancy_region_id", "sector_discrepancy", ["region_code", "id"], schema="monitoring")
    op.create_index("ix_sector_discrepancy_last_batch_id", "sector_discrepancy", ["last_batch_id"], schema="monitoring")
    op.create_table(
        "sector_discrepancy_action",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("discrepancy_id", sa.BigInteger(), nullable=False),
        sa.Column("from_status", sa.String(length=10), nullable=False),
        sa.Column("to_status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("actor_name", sa.String(length=100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["discrepancy_id"],
            ["monitoring.sector_discrepancy.id"],
            name=op.f("fk_sector_discrepancy_action_discrepancy_id_sector_discrepancy"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sector_discrepancy_action")),
        schema="monitoring",
    )
    op.create_index(
        op.f("ix_sector_discrepancy_action_discrepancy_id"),
        "sector_discrepancy_action",
        ["discrepancy_id"],
        schema="monitoring",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_sector_discrepancy_action_discrepancy_id"), table_name="sector_discrepancy_action", schema="monitoring"
    )
    op.drop_table("sector_discrepancy_action", schema="monitoring")
    op.drop_index("ix_sector_discrepancy_last_batch_id", table_name="sector_discrepancy", schema="monitoring")
    op.drop_index("ix_sector_discrepancy_region_id", table_name="sector_discrepancy", schema="monitoring")
    op.drop_index("ix_sector_discrepancy_false_alarm", table_name="sector_discrepancy", schema="monitoring")
    op.drop_index("uq_sector_discrepancy_open", table_name="sector_discrepancy", schema="monitoring")
    op.drop_table("sector_discrepancy", schema="monitoring")
    op.drop_table("crosscheck_job", schema="monitoring")
    op.drop_table("sector_row_error", schema="monitoring")
    op.drop_index("ix_sector_row_batch_id", table_name="sector_row", schema="monitoring")
    op.drop_table("sector_row", schema="monitoring")
    op.drop_table("sector_batch_part", schema="monitoring")
    op.drop_index("ix_sector_batch_data_type_id", table_name="sector_batch", schema="monitoring")
    op.drop_table("sector_batch", schema="monitoring")
