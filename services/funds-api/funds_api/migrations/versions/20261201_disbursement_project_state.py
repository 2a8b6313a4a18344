"""disbursement running totals per project (the series of every fund source of a project summed), and their backfill

Revision ID: f08_disbursement_project_state
Revises: f07_disbursement_state
Create Date: 2026-12-01 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# funds_api.disbursement.ledger.BY_PROJECT.rebuild() as it was at this revision (KEPT_YEARS = 2), copied so that the
# migration stays as it ran.
BACKFILL = """
WITH keys AS (
    SELECT DISTINCT a.project_id, pr.year
    FROM funds.allocation AS a JOIN funds.project AS pr ON pr.id = a.project_id
),
points AS (
    SELECT project_id, day, sum(allocated) AS allocated, sum(paid) AS paid
    FROM (
        SELECT project_id, allocated_on AS day, amount AS allocated, 0 AS paid FROM funds.allocation
        UNION ALL
        SELECT project_id, paid_on, 0, amount FROM funds.payment
        UNION ALL
        SELECT k.project_id, m.month::date, 0, 0
        FROM keys AS k
        CROSS JOIN LATERAL generate_series(
            make_date(k.year, 1, 1), make_date(k.year + 1, 12, 1), interval '1 month'
        ) AS m(month)
    ) AS entries
    GROUP BY project_id, day
),
running AS (
    SELECT p.project_id, p.day,
           make_date(k.year, 1, 1) AS series_start, make_date(k.year + 2, 1, 1) AS series_end,
           sum(p.allocated) OVER w AS allocated, sum(p.paid) OVER w AS paid, lead(p.day) OVER w AS next_day
    FROM points AS p JOIN keys AS k USING (project_id)
    WINDOW w AS (PARTITION BY p.project_id ORDER BY p.day)
)
INSERT INTO funds.disbursement_project_state (project_id, valid_from, valid_until, allocated, paid)
SELECT project_id, day, least(coalesce(next_day, series_end), series_end), allocated, paid
FROM running
WHERE day >= series_start AND day < series_end
"""


revision: str = "f08_disbursement_project_state"
down_revision: str | None = "f07_disbursement_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "disbursement_project_state",
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("allocated", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("valid_from < valid_until", name=op.f("ck_disbursement_project_state_span_not_empty")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["funds.project.id"], name=op.f("fk_disbursement_project_state_project_id_project")
        ),
        sa.PrimaryKeyConstraint("project_id", "valid_from", name=op.f("pk_disbursement_project_state")),
        schema="funds",
    )
    op.execute(BACKFILL)
    op.create_index(
        "ix_disbursement_project_state_valid_from",
        "disbursement_project_state",
        ["valid_from"],
        unique=False,
        schema="funds",
        postgresql_include=["valid_until", "project_id", "allocated", "paid"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_disbursement_project_state_valid_from",
        table_name="disbursement_project_state",
        schema="funds",
        postgresql_include=["valid_until", "project_id", "allocated", "paid"],
    )
    op.drop_table("disbursement_project_state", schema="funds")
