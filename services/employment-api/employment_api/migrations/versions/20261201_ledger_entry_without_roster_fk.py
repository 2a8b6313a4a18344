"""ledger entry without a foreign key to the roster

Revision ID: 3c2f9d1e7b40
Revises: a59c9fbff836
Create Date: 2026-12-01 11:06:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "3c2f9d1e7b40"
down_revision: str | None = "a59c9fbff836"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Labourers are never deleted and every write joins the roster; the per-row FK trigger was 1.2 s of a
    # 100,000-row upload's 3.5 s merge (bench/employment).
    op.drop_constraint("fk_ledger_entry_labourer_id_labourer", "ledger_entry", schema="employment", type_="foreignkey")


def downgrade() -> None:
    op.create_foreign_key(
        "fk_ledger_entry_labourer_id_labourer",
        "ledger_entry",
        "labourer",
        ["labourer_id"],
        ["id"],
        source_schema="employment",
        referent_schema="employment",
    )
