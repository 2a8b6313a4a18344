"""`dixian-scheduler`: run the scheduler over every actor the worker declares."""

import asyncio
import logging
import sys
import time

from dixian_shared.jobs import Schedules
from dixian_shared.logs import configure_logging
from dixian_worker import actors
from dixian_worker.db import worker_sessions
from dixian_worker.scheduler import Scheduler
from dixian_worker.settings import WorkerSettings

log = logging.getLogger(__name__)


async def run() -> None:
    settings = WorkerSettings()
    configure_logging("scheduler", settings.log_level)
    scheduler = Scheduler(worker_sessions, actors.broker, settings.scheduler)
    log.info("scheduler %s watching %s", scheduler.name, [s[0] for s in Schedules.scheduled(actors.broker)])
    await scheduler.run_forever()


def healthy(settings: WorkerSettings) -> bool:
    """A tick succeeded within the last three tick intervals (for container health checks)."""
    try:
        age = time.time() - settings.scheduler.heartbeat_file.stat().st_mtime
    except OSError:
        return False
    return age < 3 * settings.scheduler.tick_seconds


def main() -> None:
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if healthy(WorkerSettings()) else 1)
    asyncio.run(run())


if __name__ == "__main__":
    main()
