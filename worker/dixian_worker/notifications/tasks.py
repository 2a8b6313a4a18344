"""The delivery actor: sent after each reminder run and every minute for retries that have come due."""

import dramatiq

from dixian_shared.contracts import DELIVER_NOTIFICATIONS
from dixian_worker.broker import broker
from dixian_worker.notifications.webhook import deliver_all
from dixian_worker.settings import WorkerSettings


@dramatiq.actor(
    actor_name=DELIVER_NOTIFICATIONS.name,
    queue_name=DELIVER_NOTIFICATIONS.queue,
    cron="* * * * *",
    max_retries=0,
    broker=broker,
)
async def deliver_notifications(slot: str | None = None) -> None:
    await deliver_all(WorkerSettings().webhook)


DELIVER = deliver_notifications
