"""Alembic environment of the identity schema."""

from dixian_shared.identity.models import IdentityBase
from dixian_shared.migrations import run_env

run_env(IdentityBase.metadata)
