"""The household import actor: a large import runs here, sent by POST /imports/households (jobs.start)."""

import dramatiq

from dixian_shared.broker import broker
from dixian_shared.contracts import HOUSEHOLD_IMPORT
from dixian_shared.jobs import LazySessionmaker
from monitoring_api.imports import jobs
from monitoring_api.models import COMMON
from monitoring_api.settings import MonitoringSettings

sessions = LazySessionmaker(MonitoringSettings, COMMON)


@dramatiq.actor(
    broker=broker,
    actor_name=HOUSEHOLD_IMPORT.name,
    queue_name=HOUSEHOLD_IMPORT.queue,
    max_retries=3,
    time_limit=60 * 60 * 1000,  # a district-sized file outlasts dramatiq's 10-minute default
)
async def household_import(import_id: int) -> None:
    """Ids in; safe to deliver twice: only a queued import is run (jobs.run claims it)."""
    await jobs.run(sessions, import_id)
