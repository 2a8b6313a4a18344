"""Alembic environment of the worker schema."""

from dixian_shared.migrations import run_env
from dixian_worker.models import Base
from dixian_worker.notifications import models as notification_models
from dixian_worker.reminders import models as reminder_models
from dixian_worker.sync import models as sync_models

__all__ = ["notification_models", "reminder_models", "sync_models"]

run_env(Base.metadata)
