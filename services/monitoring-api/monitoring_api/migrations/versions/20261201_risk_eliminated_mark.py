"""risk eliminated mark: an approved elimination marks the household (标注风险消除) and keeps its category

Households eliminated before this revision had their category rewritten (to 一般农户 or 脱贫户); they get back the
category the elimination recorded as category_before, and the mark, unless they were included again since.

Revision ID: b1e1ef3ee721
Revises: m08_cadre_user_subject
Create Date: 2026-12-01 09:55:38.081120
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b1e1ef3ee721"
down_revision: str | None = "m08_cadre_user_subject"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "monitoring"


def upgrade() -> None:
    op.add_column("household", sa.Column("risk_eliminated_on", sa.Date(), nullable=True), schema=SCHEMA)
    op.add_column("household", sa.Column("elimination_id", sa.BigInteger(), nullable=True), schema=SCHEMA)
    # The latest approved elimination of each household whose category is still the one that elimination wrote.
    op.execute(
        f"""
        UPDATE {SCHEMA}.household AS h
        SET category = e.category_before, risk_eliminated_on = e.decided_on, elimination_id = e.id,
            version = h.version + 1
        FROM (
            SELECT DISTINCT ON (household_id) id, household_id, category_before, category_after, decided_on
            FROM {SCHEMA}.elimination
            WHERE status = '已消除'
            ORDER BY household_id, decided_on DESC, id DESC
        ) AS e
        WHERE h.id = e.household_id AND h.category = e.category_after
        """
    )
    op.execute(f"UPDATE {SCHEMA}.elimination SET category_after = category_before WHERE status = '已消除'")


def downgrade() -> None:
    op.execute(
        f"""
        UPDATE {SCHEMA}.household
        SET category = CASE WHEN lifted_year IS NULL THEN '一般农户' ELSE '脱贫户' END
        WHERE risk_eliminated_on IS NOT NULL
        """
    )
    op.drop_column("household", "elimination_id", schema=SCHEMA)
    op.drop_column("household", "risk_eliminated_on", schema=SCHEMA)
