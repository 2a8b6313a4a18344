"""Warning recomputes: nightly per region, on demand for a region, and for one household when its data changes."""

import logging

import dramatiq

from dixian_shared.broker import broker
from dixian_shared.contracts import WARNINGS_ON_CHANGE, WARNINGS_RECOMPUTE
from dixian_shared.db import unit_of_work
from dixian_shared.errors import ProblemError
from dixian_shared.jobs import LazySessionmaker
from monitoring_api.deps import today_in_shanghai
from monitoring_api.models import COMMON
from monitoring_api.settings import MonitoringSettings
from monitoring_api.warnings import repository, service

log = logging.getLogger(__name__)
sessions = LazySessionmaker(MonitoringSettings, COMMON)


@dramatiq.actor(
    broker=broker,
    actor_name=WARNINGS_RECOMPUTE.name,
    queue_name=WARNINGS_RECOMPUTE.queue,
    max_retries=3,
    time_limit=3600 * 1000,
    cron="30 1 * * *",  # nightly: ages move the school-age rule even when no data changes
)
async def recompute_warnings(region_code: str | None = None, slot: str | None = None) -> None:
    """Idempotent: a second run over unchanged data raises and resolves nothing."""
    rules = MonitoringSettings().rules
    today = today_in_shanghai()
    async with unit_of_work(sessions) as session:
        codes = [region_code] if region_code else await repository.root_regions(session)
    for code in codes:
        # One transaction per top region: a refusal (no income line for a year) does not undo the others.
        async with unit_of_work(sessions) as session:
            counts = await service.recompute_region(session, code, rules=rules, today=today)
        log.info("warnings recomputed for %s: %s", code, {rule: c.model_dump() for rule, c in counts.items()})


@dramatiq.actor(broker=broker, actor_name=WARNINGS_ON_CHANGE.name, queue_name=WARNINGS_ON_CHANGE.queue, max_retries=5)
async def recompute_on_change(entity: str, entity_id: int, action: str, **event: object) -> None:
    """Subscribed to household and member changes (contracts.SUBSCRIBERS); idempotent, so redelivery is harmless.

    An import announces thousands of households at once: it sends one region recompute instead (imports/service.py).
    """
    if action == "imported":
        return
    try:
        async with unit_of_work(sessions) as session:
            await service.recompute_after_change(
                session, entity, entity_id, rules=MonitoringSettings().rules, today=today_in_shanghai()
            )
    except ProblemError as refused:  # e.g. no income line configured for the year: retrying would not help
        log.warning("warnings of %s %s not recomputed: %s", entity, entity_id, refused)
