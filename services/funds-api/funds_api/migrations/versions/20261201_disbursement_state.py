"""disbursement running totals (one row per project and fund source as of any day) replace the monthly openings

Revision ID: f07_disbursement_state
Revises: f06_disbursement_months
Create Date: 2026-12-01 13:10:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# funds_api.disbursement.ledger.REBUILD as it was at this revision (KEPT_YEARS = 2), copied so that the migration
# stays as it ran: spans break at every month start and every entry day of the project's year and the next.
BACKFILL = """
WITH keys AS (
    SELECT DISTINCT a.project_id, a.fund_source_id, pr.year
    FROM funds.allocation AS a JOIN funds.project AS pr ON pr.id = a.project_id
),
points AS (
    SELECT project_id, fund_source_id, day, sum(allocated) AS allocated, sum(paid) AS paid
    FROM (
        SELECT project_id, fund_source_id, allocated_on AS day, amount AS allocated, 0 AS paid FROM funds.allocation
        UNION ALL
        SELECT project_id, fund_source_id, paid_on, 0, amount FROM funds.payment
        UNION ALL
        SELECT k.project_id, k.fund_source_id, m.month::date, 0, 0
        FROM keys AS k
        CROSS JOIN LATERAL generate_series(
            make_date(k.year, 1, 1), make_date(k.year + 1, 12, 1), interval '1 month'
        ) AS m(month)
    ) AS entries
    GROUP BY project_id, fund_source_id, day
),
running AS (
    SELECT p.project_id, p.fund_source_id, p.day, make_date(k.year + 2, 1, 1) AS series_end,
           make_date(k.year, 1, 1) AS series_start,
           sum(p.allocated) OVER w AS allocated, sum(p.paid) OVER w AS paid, lead(p.day) OVER w AS next_day
    FROM points AS p JOIN keys AS k USING (project_id, fund_source_id)
    WINDOW w AS (PARTITION BY p.project_id, p.fund_source_id ORDER BY p.day)
)
INSERT INTO funds.disbursement_state (project_id, fund_source_id, valid_from, valid_until, allocated, paid)
SELECT project_id, fund_source_id, day, least(coalesce(next_day, series_end), series_end), allocated, paid
FROM running
WHERE day >= series_start AND day < series_end
"""


revision: str = "f07_disbursement_state"
down_revision: str | None = "f06_disbursement_months"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "disbursement_state",
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("fund_source_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("allocated", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("valid_from < valid_until", name=op.f("ck_disbursement_state_span_not_empty")),
        sa.ForeignKeyConstraint(
            ["fund_source_id"], ["funds.fund_source.id"], name=op.f("fk_disbursement_state_fund_source_id_fund_source")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["funds.project.id"], name=op.f("fk_disbursement_state_project_id_project")
        ),
        sa.PrimaryKeyConstraint("project_id", "fund_source_id", "valid_from", name=op.f("pk_disbursement_state")),
        schema="funds",
    )
    op.execute(BACKFILL)
    op.create_index(
        "ix_disbursement_state_valid_from",
        "disbursement_state",
        ["valid_from"],
        unique=False,
        schema="funds",
        postgresql_include=["valid_until", "project_id", "fund_source_id", "allocated", "paid"],
    )
    op.drop_table("disbursement_month", schema="funds")


def downgrade() -> None:
    op.create_table(
        "disbursement_month",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("fund_source_id", sa.BigInteger(), nullable=False),
        sa.Column("allocated", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["fund_source_id"], ["funds.fund_source.id"], name=op.f("fk_disbursement_month_fund_source_id_fund_source")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["funds.project.id"], name=op.f("fk_disbursement_month_project_id_project")
        ),
        sa.PrimaryKeyConstraint("month", "project_id", "fund_source_id", name=op.f("pk_disbursement_month")),
        schema="funds",
    )
    # The monthly openings rebuilt with the statement of the revision that made them.
    spec = importlib.util.spec_from_file_location("f06", Path(__file__).with_name("20261201_disbursement_months.py"))
    assert spec is not None and spec.loader is not None
    f06 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(f06)
    op.execute(f06.BACKFILL)
    op.drop_index(
        "ix_disbursement_state_valid_from",
        table_name="disbursement_state",
        schema="funds",
        postgresql_include=["valid_until", "project_id", "fund_source_id", "allocated", "paid"],
    )
    op.drop_table("disbursement_state", schema="funds")
