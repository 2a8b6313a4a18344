"""The scheduler: fires each actor's cron slots once, however many schedulers run and whenever they restart.

A slot is claimed by inserting (actor, slot) into worker.schedule_slot; only the scheduler whose insert wins sends
the message, in the same transaction, so a broker failure un-claims the slot for the next tick. Slots missed while
no scheduler ran are fired late if they are within the misfire grace.
"""

import asyncio
import logging
import os
import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import dramatiq
from croniter import croniter
from sqlalchemy.dialects.postgresql import insert

from dixian_shared.db import SessionFactory
from dixian_shared.jobs import Schedules
from dixian_shared.queue import send_by_name
from dixian_worker.models import ScheduleSlot
from dixian_worker.settings import SchedulerSettings

log = logging.getLogger(__name__)


def latest_slot(cron: str, now: datetime) -> datetime:
    """The newest slot at or before `now`."""
    return croniter(cron, now + timedelta(seconds=1)).get_prev(datetime)


class Scheduler:
    def __init__(
        self,
        sessionmaker: SessionFactory,
        broker: dramatiq.Broker,
        settings: SchedulerSettings,
        name: str | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._broker = broker
        self._settings = settings
        self._zone = ZoneInfo(settings.timezone)
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"

    async def tick(self, now: datetime | None = None) -> list[tuple[str, datetime]]:
        """Fire every due slot this scheduler wins; returns what it fired."""
        now = (now or datetime.now(self._zone)).astimezone(self._zone)
        fired = []
        for actor_name, queue_name, cron in Schedules.scheduled(self._broker):
            slot = latest_slot(cron, now)
            if (now - slot).total_seconds() > self._settings.misfire_grace_seconds:
                continue
            if await self._claim_and_send(actor_name, queue_name, slot):
                fired.append((actor_name, slot))
        return fired

    async def _claim_and_send(self, actor_name: str, queue_name: str, slot: datetime) -> bool:
        async with self._sessionmaker() as session:
            claimed = await session.scalar(
                insert(ScheduleSlot)
                .values(actor_name=actor_name, slot_at=slot, fired_by=self.name)
                .on_conflict_do_nothing()
                .returning(ScheduleSlot.actor_name)
            )
            if claimed is None:
                return False
            message_id = f"{actor_name}@{slot.isoformat()}"
            await asyncio.to_thread(
                send_by_name,
                self._broker,
                actor_name=actor_name,
                queue_name=queue_name,
                kwargs={"slot": slot.isoformat()},
                message_id=message_id,
            )
            await session.commit()
            log.info("fired %s for slot %s", actor_name, slot.isoformat())
            return True

    async def run_forever(self) -> None:
        while True:
            try:
                await self.tick()
                self._settings.heartbeat_file.touch()
            except Exception as exc:  # database or broker away: the slot stays unclaimed and is tried next tick
                log.warning("scheduler tick failed: %s", exc)
            await asyncio.sleep(self._settings.tick_seconds)
