"""elimination town review: 待乡镇审核 is an open status, so one elimination in progress per household still holds

Revision ID: a9a6f2b89c06
Revises: m07_merge_domains
Create Date: 2026-12-01 09:51:54.538832
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a9a6f2b89c06"
down_revision: str | None = "m07_merge_domains"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "monitoring"
INDEX = "uq_elimination_open_household_id"


def _open_index(statuses: str) -> None:
    op.drop_index(INDEX, table_name="elimination", schema=SCHEMA)
    op.create_index(
        INDEX,
        "elimination",
        ["household_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text(f"status IN ({statuses})"),
    )


def upgrade() -> None:
    # The literals are sorted as the model sorts them (models.OPEN_STATUS_LIST), so autogenerate sees no change.
    _open_index("'待乡镇审核', '待入户核实', '待区级审定', '待评议公示'")


def downgrade() -> None:
    # An elimination waiting for its town review goes back to waiting for the district, as before the step existed.
    op.execute(f"UPDATE {SCHEMA}.elimination SET status = '待区级审定' WHERE status = '待乡镇审核'")
    _open_index("'待入户核实', '待评议公示', '待区级审定'")
