"""income warnings: the three-line warnings and the manual key-group marks

Revision ID: m03b_income_warnings
Revises: m03_income
Create Date: 2026-11-29 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "m03b_income_warnings"
down_revision: str | None = "m03_income"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_GROUPS = (
    "脱贫户",
    "低收入农户",
    "农村低保对象和分散供养特困人员",
    "三保障和饮水安全问题户",
    "产业影响较大农户",
    "就业不稳定户",
    "特殊困难人员",
    "刚性支出较大或收入大幅缩减户",
)


def upgrade() -> None:
    op.create_table(
        "warning",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column(
            "line",
            sa.Enum(
                "收入线", "支出线", "保障线", name="warning_line", native_enum=False, length=20, schema="monitoring"
            ),
            nullable=False,
        ),
        sa.Column(
            "grade",
            sa.Enum("红色", "黄色", "绿色", name="warning_grade", native_enum=False, length=20, schema="monitoring"),
            nullable=False,
        ),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=40), server_default="", nullable=False),
        sa.Column(
            "data",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("raised_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["monitoring.household.id"], name=op.f("fk_warning_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning")),
        schema="monitoring",
    )
    op.create_index("ix_warning_household_id", "warning", ["household_id"], unique=False, schema="monitoring")
    op.create_index("ix_warning_region_id", "warning", ["region_code", "id"], unique=False, schema="monitoring")
    op.create_index(
        "uq_warning_open",
        "warning",
        ["household_id", "line", "rule", "source", "subject"],
        unique=True,
        schema="monitoring",
        postgresql_where=sa.text("resolved_at IS NULL"),
    )
    op.create_table(
        "household_group_mark",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column(
            "key_group",
            sa.Enum(*KEY_GROUPS, name="key_group", native_enum=False, length=40, schema="monitoring"),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("marked_by", sa.String(length=120), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=120), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["monitoring.household.id"], name=op.f("fk_household_group_mark_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_group_mark")),
        schema="monitoring",
    )
    op.create_index(
        "ix_household_group_mark_region_code",
        "household_group_mark",
        ["region_code"],
        unique=False,
        schema="monitoring",
    )
    op.create_index(
        "uq_household_group_mark_open",
        "household_group_mark",
        ["household_id", "key_group"],
        unique=True,
        schema="monitoring",
        postgresql_where=sa.text("ended_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_household_group_mark_open",
        table_name="household_group_mark",
        schema="monitoring",
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.drop_index("ix_household_group_mark_region_code", table_name="household_group_mark", schema="monitoring")
    op.drop_table("household_group_mark", schema="monitoring")
    op.drop_index(
        "uq_warning_open", table_name="warning", schema="monitoring", postgresql_where=sa.text("resolved_at IS NULL")
    )
    op.drop_index("ix_warning_region_id", table_name="warning", schema="monitoring")
    op.drop_index("ix_warning_household_id", table_name="warning", schema="monitoring")
    op.drop_table("warning", schema="monitoring")
