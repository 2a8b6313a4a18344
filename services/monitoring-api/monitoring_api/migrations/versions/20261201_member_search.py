"""member search: pinyin initials of each name (filled for the rows already there) and the search indexes

Revision ID: m09_member_search
Revises: b1e1ef3ee721
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from monitoring_api.households.pinyin import initials

revision: str = "m09_member_search"
down_revision: str | None = "b1e1ef3ee721"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5_000


def upgrade() -> None:
    op.add_column(
        "member", sa.Column("name_initials", sa.String(50), server_default="", nullable=False), schema="monitoring"
    )
    connection = op.get_bind()
    names = [row[0] for row in connection.execute(sa.text("SELECT DISTINCT name FROM monitoring.member"))]
    # One UPDATE per few thousand distinct names (set-based through a VALUES list), not one per member.
    for start in range(0, len(names), CHUNK):
        chunk = names[start : start + CHUNK]
        values = ", ".join(f"(:n{i}, :i{i})" for i in range(len(chunk)))
        params = {f"n{i}": name for i, name in enumerate(chunk)} | {f"i{i}": initials(n) for i, n in enumerate(chunk)}
        connection.execute(
            sa.text(
                "UPDATE monitoring.member m SET name_initials = v.initials "
                f"FROM (VALUES {values}) AS v(name, initials) WHERE m.name = v.name"
            ),
            params,
        )
    op.create_index(
        "ix_member_name_prefix", "member", ["name"], schema="monitoring", postgresql_ops={"name": "text_pattern_ops"}
    )
    op.create_index(
        "ix_member_initials_prefix",
        "member",
        ["name_initials"],
        schema="monitoring",
        postgresql_ops={"name_initials": "text_pattern_ops"},
    )
    op.create_index("ix_member_id_number", "member", ["id_number"], schema="monitoring")
    op.create_index("ix_member_phone", "member", ["phone"], schema="monitoring")
    op.create_index("ix_household_phone", "household", ["phone"], schema="monitoring")


def downgrade() -> None:
    op.drop_index("ix_household_phone", table_name="household", schema="monitoring")
    for name in ("ix_member_phone", "ix_member_id_number", "ix_member_initials_prefix", "ix_member_name_prefix"):
        op.drop_index(name, table_name="member", schema="monitoring")
    op.drop_column("member", "name_initials", schema="monitoring")
