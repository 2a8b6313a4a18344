"""Alembic environment of the worker schema."""

from dixian_shared.migrations import run_env
from dixian_worker.models import Base

run_env(Base.metadata)
