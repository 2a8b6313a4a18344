"""merge the domain branches into one head

Revision ID: m07_merge_domains
Revises: m03b_income_warnings, m04_assessment_inclusion, m05_measures_visits, m06_sector
Create Date: 2026-11-29
"""

from collections.abc import Sequence

revision: str = "m07_merge_domains"
down_revision: tuple[str, ...] = (
    "m03b_income_warnings",
    "m04_assessment_inclusion",
    "m05_measures_visits",
    "m06_sector",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
