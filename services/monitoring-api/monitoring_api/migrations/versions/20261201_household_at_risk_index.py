"""household at-risk index: the active monitoring subjects whose risk is not marked eliminated (Household.at_risk)

The development-measure rule (and the at-risk lists) read only these households, 5 in 100 of a province's: it scans
this index instead of probing the whole table household by household.

Revision ID: m12_household_at_risk_index
Revises: m11_household_last_visit
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m12_household_at_risk_index"
down_revision: str | None = "m11_household_last_visit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "monitoring"
SUBJECTS = "('突发严重困难户', '脱贫不稳定户', '边缘易致贫户')"  # households/enums.py MONITORING_SUBJECTS


def upgrade() -> None:
    op.create_index(
        "ix_household_at_risk",
        "household",
        ["region_code", "id"],
        schema=SCHEMA,
        postgresql_include=["included_on"],
        postgresql_where=sa.text(f"status = '正常' AND category IN {SUBJECTS} AND risk_eliminated_on IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_household_at_risk", table_name="household", schema=SCHEMA)
