"""Alembic environment of the funds schema."""

from dixian_shared.migrations import run_env
from funds_api.models import Base

run_env(Base.metadata)
