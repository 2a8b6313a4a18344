"""assessment and inclusion: monthly assessments with town reviews, inclusion cases with their steps

Revision ID: m04_assessment_inclusion
Revises: 590abf61dfd1
Create Date: 2026-11-29 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "m04_assessment_inclusion"
down_revision: str | None = "590abf61dfd1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOMES = ("纳入监测", "持续关注", "暂不纳入", "无风险")
STEPS = ("线索登记", "入户核实", "民主评议/公示", "乡镇审核", "区级审定")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20, schema="monitoring")


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("outcome", _enum("assessment_outcome", *OUTCOMES), nullable=False),
        sa.Column("risk_causes", postgresql.ARRAY(sa.String(length=20)), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("assessed_by", sa.String(length=50), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("extract(day from month) = 1", name=op.f("ck_assessment_month_first_day")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["monitoring.household.id"], name=op.f("fk_assessment_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["monitoring.region.code"], name=op.f("fk_assessment_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
        sa.UniqueConstraint("household_id", "month", name=op.f("uq_assessment_household_id_month")),
        schema="monitoring",
    )
    op.create_index("ix_assessment_region_id", "assessment", ["region_code", "id"], unique=False, schema="monitoring")
    op.create_index(
        "ix_assessment_outcome_month", "assessment", ["outcome", "month"], unique=False, schema="monitoring"
    )
    op.create_table(
        "assessment_review",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("assessment_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("agree", sa.Boolean(), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("outcome_before", _enum("assessment_outcome", *OUTCOMES), nullable=False),
        sa.Column("outcome_after", _enum("assessment_outcome", *OUTCOMES), nullable=False),
        sa.Column("reviewed_by", sa.String(length=120), nullable=False),
        sa.Column("reviewer_name", sa.String(length=50), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["monitoring.assessment.id"], name=op.f("fk_assessment_review_assessment_id_assessment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_review")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_assessment_review_assessment_id")),
        schema="monitoring",
    )
    op.create_table(
        "inclusion_case",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("channel", _enum("inclusion_channel", "农户自主申报", "干部排查", "部门筛查预警"), nullable=False),
        sa.Column("clue_date", sa.Date(), nullable=False),
        sa.Column("clue_note", sa.Text(), nullable=True),
        sa.Column(
            "subject_kind", _enum("subject_kind", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"), nullable=True
        ),
        sa.Column("risk_causes", postgresql.ARRAY(sa.String(length=20)), nullable=False),
        sa.Column("assessment_id", sa.BigInteger(), nullable=True),
        sa.Column("stage", _enum("inclusion_step", *STEPS), nullable=False),
        sa.Column("status", _enum("inclusion_status", "办理中", "已纳入", "不予纳入"), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("opened_by", sa.String(length=120), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["monitoring.assessment.id"], name=op.f("fk_inclusion_case_assessment_id_assessment")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["monitoring.household.id"], name=op.f("fk_inclusion_case_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["monitoring.region.code"], name=op.f("fk_inclusion_case_region_code_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inclusion_case")),
        schema="monitoring",
    )
    op.create_index(
        "ix_inclusion_case_household_id", "inclusion_case", ["household_id"], unique=False, schema="monitoring"
    )
    op.create_index(
        "ix_inclusion_case_region_id", "inclusion_case", ["region_code", "id"], unique=False, schema="monitoring"
    )
    op.create_index(
        "uq_inclusion_case_household_id_open",
        "inclusion_case",
        ["household_id"],
        unique=True,
        schema="monitoring",
        postgresql_where=sa.text("status = '办理中'"),
    )
    op.create_table(
        "case_step",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("step", _enum("inclusion_step", *STEPS), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("actor_name", sa.String(length=50), nullable=False),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("authorisation_signed", sa.Boolean(), nullable=True),
        sa.Column("authorisation_date", sa.Date(), nullable=True),
        sa.Column("notice_start", sa.Date(), nullable=True),
        sa.Column("notice_end", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["monitoring.inclusion_case.id"], name=op.f("fk_case_step_case_id_inclusion_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_step")),
        schema="monitoring",
    )
    op.create_index(op.f("ix_case_step_case_id"), "case_step", ["case_id"], unique=False, schema="monitoring")


def downgrade() -> None:
    op.drop_index(op.f("ix_case_step_case_id"), table_name="case_step", schema="monitoring")
    op.drop_table("case_step", schema="monitoring")
    op.drop_index(
        "uq_inclusion_case_household_id_open",
        table_name="inclusion_case",
        schema="monitoring",
        postgresql_where=sa.text("status = '办理中'"),
    )
    op.drop_index("ix_inclusion_case_region_id", table_name="inclusion_case", schema="monitoring")
    op.drop_index("ix_inclusion_case_household_id", table_name="inclusion_case", schema="monitoring")
    op.drop_table("inclusion_case", schema="monitoring")
    op.drop_table("assessment_review", schema="monitoring")
    op.drop_index("ix_assessment_outcome_month", table_name="assessment", schema="monitoring")
    op.drop_index("ix_assessment_region_id", table_name="assessment", schema="monitoring")
    op.drop_table("assessment", schema="monitoring")
