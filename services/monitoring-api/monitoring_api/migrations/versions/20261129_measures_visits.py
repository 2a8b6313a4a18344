"""measures, look-backs, risk elimination, pairings and visits

Revision ID: m05_measures_visits
Revises: 590abf61dfd1
Create Date: 2026-11-29 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "m05_measures_visits"
down_revision: str | None = "590abf61dfd1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "monitoring"

MEASURE_CATEGORIES = (
    "产业帮扶",
    "就业帮扶",
    "金融帮扶",
    "公益岗位帮扶",
    "健康帮扶",
    "义务教育保障",
    "其他教育帮扶",
    "综合保障",
    "住房安全保障",
    "饮水安全保障",
    "社会帮扶",
    "搬迁",
    "生产生活条件改善",
    "基础设施建设",
)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20, schema=SCHEMA)


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _household_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["household_id"], ["monitoring.household.id"], name=op.f(f"fk_{table}_household_id_household")
    )


def upgrade() -> None:
    op.create_table(
        "measure",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("category", _enum("measure_category", *MEASURE_CATEGORIES), nullable=False),
        sa.Column("sub_type", sa.String(length=30), nullable=True),
        sa.Column("owner", sa.String(length=50), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("status", _enum("measure_status", "计划中", "实施中", "已完成", "已终止"), nullable=False),
        sa.Column("results", sa.Text(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name=op.f("ck_measure_amount_not_negative")),
        sa.CheckConstraint("end_on IS NULL OR end_on >= start_on", name=op.f("ck_measure_period")),
        _household_fk("measure"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_measure_household_id"), "measure", ["household_id"], unique=False, schema=SCHEMA)
    op.create_index("ix_measure_region_code_id", "measure", ["region_code", "id"], unique=False, schema=SCHEMA)

    op.create_table(
        "elimination",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("kind", _enum("elimination_kind", "帮扶消除", "自然消除"), nullable=False),
        sa.Column(
            "status",
            _enum("elimination_status", "待入户核实", "待评议公示", "待区级审定", "已消除", "未通过"),
            nullable=False,
        ),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.String(length=120), nullable=False),
        sa.Column("risk_note", sa.Text(), nullable=False),
        sa.Column("cleared_risk_causes", postgresql.ARRAY(sa.String(length=20)), nullable=False),
        sa.Column("included_on", sa.Date(), nullable=True),
        sa.Column("category_before", sa.String(length=20), nullable=False),
        sa.Column("category_after", sa.String(length=20), nullable=True),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("notice_from", sa.Date(), nullable=True),
        sa.Column("notice_to", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        *_timestamps(),
        _household_fk("elimination"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elimination")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_elimination_household_id"), "elimination", ["household_id"], unique=False, schema=SCHEMA)
    op.create_index("ix_elimination_region_code_id", "elimination", ["region_code", "id"], unique=False, schema=SCHEMA)
    op.create_index(
        "uq_elimination_open_household_id",
        "elimination",
        ["household_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("status IN ('待入户核实', '待评议公示', '待区级审定')"),
    )

    op.create_table(
        "elimination_step",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("elimination_id", sa.BigInteger(), nullable=False),
        sa.Column("step", _enum("elimination_step_name", "入户核实", "民主评议公示", "区级审定"), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("notice_from", sa.Date(), nullable=True),
        sa.Column("notice_to", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["elimination_id"],
            ["monitoring.elimination.id"],
            name=op.f("fk_elimination_step_elimination_id_elimination"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elimination_step")),
        schema=SCHEMA,
    )
    op.create_index(
        op.f("ix_elimination_step_elimination_id"), "elimination_step", ["elimination_id"], unique=False, schema=SCHEMA
    )

    op.create_table(
        "lookback",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("elimination_id", sa.BigInteger(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("measures_effective", sa.Boolean(), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["elimination_id"], ["monitoring.elimination.id"], name=op.f("fk_lookback_elimination_id_elimination")
        ),
        _household_fk("lookback"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lookback")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_lookback_household_id"), "lookback", ["household_id"], unique=False, schema=SCHEMA)
    op.create_index("ix_lookback_region_code_id", "lookback", ["region_code", "id"], unique=False, schema=SCHEMA)
    op.create_index(
        "ix_lookback_pending_due_on",
        "lookback",
        ["due_on"],
        unique=False,
        schema=SCHEMA,
        postgresql_where=sa.text("done_on IS NULL"),
    )

    op.create_table(
        "pairing",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("cadre_user_id", sa.String(length=80), nullable=True),
        sa.Column("cadre_name", sa.String(length=50), nullable=True),
        sa.Column("cadre_phone", sa.String(length=20), nullable=True),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "cadre_user_id IS NOT NULL OR (cadre_name IS NOT NULL AND cadre_phone IS NOT NULL)",
            name=op.f("ck_pairing_cadre_known"),
        ),
        sa.CheckConstraint("until IS NULL OR until >= since", name=op.f("ck_pairing_period")),
        _household_fk("pairing"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing")),
        schema=SCHEMA,
    )
    op.create_index(op.f("ix_pairing_household_id"), "pairing", ["household_id"], unique=False, schema=SCHEMA)
    op.create_index("ix_pairing_region_code_id", "pairing", ["region_code", "id"], unique=False, schema=SCHEMA)
    op.create_index(
        "uq_pairing_active_household_id",
        "pairing",
        ["household_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("until IS NULL"),
    )
    op.create_index(
        "ix_pairing_active_cadre_user_id",
        "pairing",
        ["cadre_user_id"],
        unique=False,
        schema=SCHEMA,
        postgresql_where=sa.text("until IS NULL"),
    )

    op.create_table(
        "visit",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("pairing_id", sa.BigInteger(), nullable=True),
        sa.Column("cadre_user_id", sa.String(length=80), nullable=True),
        sa.Column("cadre_name", sa.String(length=50), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("problems_raised", sa.Text(), nullable=True),
        *_timestamps(),
        _household_fk("visit"),
        sa.ForeignKeyConstraint(["pairing_id"], ["monitoring.pairing.id"], name=op.f("fk_visit_pairing_id_pairing")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_visit_household_id_visited_on", "visit", ["household_id", "visited_on"], unique=False, schema=SCHEMA
    )
    op.create_index("ix_visit_region_code_id", "visit", ["region_code", "id"], unique=False, schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("visit", schema=SCHEMA)
    op.drop_table("pairing", schema=SCHEMA)
    op.drop_table("lookback", schema=SCHEMA)
    op.drop_table("elimination_step", schema=SCHEMA)
    op.drop_table("elimination", schema=SCHEMA)
    op.drop_table("measure", schema=SCHEMA)
