"""the running totals carry their project's year and place, so a rollup reads no project row

Revision ID: f09_disbursement_state_places
Revises: f08_disbursement_project_state
Create Date: 2026-12-01 13:40:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "f09_disbursement_state_places"
down_revision: str | None = "f08_disbursement_project_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COPIED: dict[str, dict[str, sa.types.TypeEngine[Any]]] = {
    "disbursement_state": {"year": sa.Integer(), "region_code": sa.String(length=12)},
    "disbursement_project_state": {
        "year": sa.Integer(),
        "region_code": sa.String(length=12),
        "town_code": sa.String(length=12),
        "owner_department": sa.String(length=50),
    },
}
KEYS = {"disbursement_state": ["project_id", "fund_source_id"], "disbursement_project_state": ["project_id"]}


def upgrade() -> None:
    for table, columns in COPIED.items():
        for name, type_ in columns.items():
            op.add_column(table, sa.Column(name, type_, nullable=True), schema="funds")
        names = ", ".join(columns)
        # Set-based: every span takes its project's values in one statement per table.
        op.execute(
            f"UPDATE funds.{table} AS s SET ({names}) = ({', '.join(f'p.{n}' for n in columns)}) "
            "FROM funds.project AS p WHERE p.id = s.project_id"
        )
        for name in columns:
            op.alter_column(table, name, nullable=False, schema="funds")
        op.drop_index(f"ix_{table}_valid_from", table_name=table, schema="funds")
        op.create_index(
            f"ix_{table}_year_valid_from",
            table,
            ["year", "valid_from"],
            unique=False,
            schema="funds",
            postgresql_include=["valid_until", *[n for n in columns if n != "year"], *KEYS[table], "allocated", "paid"],
        )


def downgrade() -> None:
    for table, columns in COPIED.items():
        op.drop_index(f"ix_{table}_year_valid_from", table_name=table, schema="funds")
        op.create_index(
            f"ix_{table}_valid_from",
            table,
            ["valid_from"],
            unique=False,
            schema="funds",
            postgresql_include=["valid_until", *KEYS[table], "allocated", "paid"],
        )
        for name in columns:
            op.drop_column(table, name, schema="funds")
