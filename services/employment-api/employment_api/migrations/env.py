"""Alembic environment of the employment schema."""

from dixian_shared.migrations import run_env
from employment_api import app as _app  # noqa: F401  (imports every domain, so every table is registered)
from employment_api.models import Base

run_env(Base.metadata)
