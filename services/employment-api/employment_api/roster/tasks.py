"""The roster actor: subscribed to monitoring's member and household events (contracts.SUBSCRIBERS)."""

import logging

import dramatiq

from dixian_shared.broker import broker
from dixian_shared.contracts import EMPLOYMENT_ROSTER_ON_CHANGE
from dixian_shared.db import unit_of_work
from dixian_shared.jobs import LazySessionmaker
from dixian_shared.service_client import service_client
from employment_api.deps import today_in_shanghai
from employment_api.models import COMMON
from employment_api.roster import service
from employment_api.settings import EmploymentSettings

log = logging.getLogger(__name__)
sessions = LazySessionmaker(EmploymentSettings, COMMON)


@dramatiq.actor(
    broker=broker,
    actor_name=EMPLOYMENT_ROSTER_ON_CHANGE.name,
    queue_name=EMPLOYMENT_ROSTER_ON_CHANGE.queue,
    max_retries=10,  # monitoring-api away: retried with back-off, the event is not lost
)
async def roster_on_change(entity: str, entity_id: int, action: str, event_id: str = "", **event: object) -> None:
    """Idempotent: the state is fetched, not taken from the event, and applied only if newer than the roster's."""
    settings = EmploymentSettings()
    async with service_client(settings.monitoring) as client, unit_of_work(sessions) as session:
        counts = await service.sync_event(
            session, client, entity, entity_id, rules=settings.rules, today=today_in_shanghai(), event_id=event_id
        )
    log.info("roster after %s %s %s: %s", entity, entity_id, action, counts)
