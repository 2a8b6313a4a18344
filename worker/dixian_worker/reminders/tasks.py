"""The reminder run: every working morning, ask the services, remind, one message per recipient."""

import logging
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import dramatiq
import httpx

from dixian_shared.workdays import WorkdayCalendar
from dixian_worker.broker import broker
from dixian_worker.db import worker_sessions
from dixian_worker.notifications.tasks import DELIVER
from dixian_worker.reminders import store
from dixian_worker.reminders.collect import fetch_all
from dixian_worker.reminders.plan import plan
from dixian_worker.settings import WorkerSettings

log = logging.getLogger(__name__)
# Missed deadlines older than this are not looked up among earlier marks (a service reports them collapsed to the
# earliest one per place, so a mark older than a year cannot match again).
MARK_MEMORY_DAYS = 400
# Services filter upcoming deadlines by the nominal date; one whose effective date (the last working day before it)
# is within the lead can lie up to a whole holiday later (Spring Festival: 8-9 days off in a row).
HOLIDAY_SLACK_DAYS = 10


@dataclass
class RunResult:
    slot: str
    on: date
    skipped: bool
    messages_planned: int
    messages_stored: int
    failed_services: list[str]


async def run_reminders(
    settings: WorkerSettings,
    slot: str,
    on: date,
    transports: dict[str, httpx.AsyncBaseTransport] | None = None,
) -> RunResult:
    calendar = WorkdayCalendar(settings.calendar)
    rules = settings.reminders
    if not rules.run_on_non_working_days and not calendar.is_workday(on):
        return RunResult(slot, on, True, 0, 0, [])
    horizon = (calendar.add_workdays(on, rules.lead_workdays) - on).days + HOLIDAY_SLACK_DAYS
    fetched = await fetch_all(settings.deadline_sources(), on, horizon, transports)
    items = [item for f in fetched for item in f.items]
    async with worker_sessions() as session:
        already = await store.earlier_marks(session, slot, date.fromordinal(on.toordinal() - MARK_MEMORY_DAYS))
        result = plan(items, on, calendar, rules.lead_workdays, already)
        await store.save_fetches(session, slot, fetched)
        await store.save_marks(session, slot, result.marks)
        stored = await store.save_messages(
            session, slot, on, result.messages, link_base=rules.link_base, webhook=bool(settings.webhook.url)
        )
        await session.commit()
    failed = [f.service for f in fetched if f.error]
    log.info("reminders %s: %d places, %d messages stored, failed: %s", slot, len(result.messages), stored, failed)
    return RunResult(slot, on, False, len(result.messages), stored, failed)


@dramatiq.actor(actor_name="worker.reminders", queue_name="default", cron="30 8 * * *", max_retries=3, broker=broker)
async def reminders(slot: str | None = None) -> None:
    settings = WorkerSettings()
    zone = ZoneInfo(settings.scheduler.timezone)
    at = datetime.fromisoformat(slot) if slot else datetime.now(zone)
    await run_reminders(settings, f"reminders@{at.isoformat()}", at.astimezone(zone).date())
    if settings.webhook.url:
        DELIVER.send()
