"""Alembic environment of the monitoring schema."""

from dixian_shared.migrations import run_env
from monitoring_api import app as _app  # noqa: F401  (imports every domain, so every table is registered)
from monitoring_api.models import Base

run_env(Base.metadata)
