"""Alembic environment of the funds schema."""

from dixian_shared.migrations import run_env
from funds_api import app as _app  # noqa: F401  (imports every domain, so every table is registered)
from funds_api.models import Base

run_env(Base.metadata)
