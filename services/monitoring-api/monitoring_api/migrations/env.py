"""Alembic environment of the monitoring schema."""

from dixian_shared.migrations import run_env
from monitoring_api.households import models as _households  # noqa: F401  (registers the tables)
from monitoring_api.models import Base

run_env(Base.metadata)
