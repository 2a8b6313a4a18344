"""The cross-check actor: the worker compares a closed batch with the registry (sent when the batch is closed)."""

import dramatiq

from dixian_shared.broker import broker
from dixian_shared.contracts import CROSSCHECK_BATCH
from dixian_shared.jobs import LazySessionmaker
from monitoring_api.models import COMMON
from monitoring_api.sector.crosscheck import job as crosscheck
from monitoring_api.settings import MonitoringSettings

sessions = LazySessionmaker(MonitoringSettings, COMMON)


@dramatiq.actor(
    broker=broker,
    actor_name=CROSSCHECK_BATCH.name,
    queue_name=CROSSCHECK_BATCH.queue,
    max_retries=8,
    min_backoff=5_000,
    max_backoff=600_000,
    time_limit=2 * 3600 * 1000,  # a province-sized batch outlasts dramatiq's 10-minute default
)
async def crosscheck_batch(batch_id: int) -> None:
    """Ids in, never ORM objects; safe to deliver twice (see crosscheck.run)."""
    await crosscheck.run(sessions, batch_id, MonitoringSettings().rules)
