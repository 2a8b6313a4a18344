"""pairings and visits name the cadre by the subject the API shows (user:<id>), not the bare id

Revision ID: m08_cadre_user_subject
Revises: a9a6f2b89c06
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "m08_cadre_user_subject"
down_revision: str | None = "a9a6f2b89c06"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("pairing", "visit")


def upgrade() -> None:
    for table in TABLES:
        op.execute(
            f"UPDATE monitoring.{table} SET cadre_user_id = 'user:' || cadre_user_id "
            "WHERE cadre_user_id IS NOT NULL AND cadre_user_id NOT LIKE 'user:%'"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(
            f"UPDATE monitoring.{table} SET cadre_user_id = substr(cadre_user_id, 6) WHERE cadre_user_id LIKE 'user:%'"
        )
