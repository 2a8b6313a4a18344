"""`dixian-scheduler --check`: healthy only while ticks keep succeeding."""

import os
import time
from pathlib import Path

from dixian_worker.run_scheduler import healthy
from dixian_worker.settings import SchedulerSettings, WorkerSettings


def settings_with(heartbeat: Path) -> WorkerSettings:
    return WorkerSettings(scheduler=SchedulerSettings(tick_seconds=20, heartbeat_file=heartbeat))


def test_health_follows_the_heartbeat(tmp_path: Path) -> None:
    heartbeat = tmp_path / "alive"
    assert not healthy(settings_with(heartbeat))  # never ticked
    heartbeat.touch()
    assert healthy(settings_with(heartbeat))
    stale = time.time() - 61  # three tick intervals and a second ago
    os.utime(heartbeat, (stale, stale))
    assert not healthy(settings_with(heartbeat))
