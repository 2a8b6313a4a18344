"""household imports as worker jobs: the file, state, progress and report

Revision ID: m10_household_import_jobs
Revises: m09_member_search
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "m10_household_import_jobs"
down_revision: str | None = "m09_member_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "household_import",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("region_code", sa.String(12), nullable=False),
        sa.Column("requested_by", sa.String(120), nullable=False),
        sa.Column("requested_role", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("region_filter", sa.String(12)),
        sa.Column("file_name", sa.String(200)),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("rows_estimated", sa.Integer(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_accepted", sa.Integer(), nullable=False),
        sa.Column("rows_refused", sa.Integer(), nullable=False),
        sa.Column("report", postgresql.JSONB()),
        sa.Column("problem", postgresql.JSONB()),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        schema="monitoring",
    )
    op.create_index("ix_household_import_region_code", "household_import", ["region_code"], schema="monitoring")


def downgrade() -> None:
    op.drop_table("household_import", schema="monitoring")
