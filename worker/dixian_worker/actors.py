"""Everything the worker runs: `dramatiq dixian_worker.actors`. Importing the broker first sets it for all actors."""

from dixian_worker import provincial
from dixian_worker.broker import broker
from employment_api.roster import tasks as roster_tasks
from monitoring_api.sector import tasks as sector_tasks
from monitoring_api.warnings import tasks as warnings_tasks

__all__ = ["broker", "provincial", "roster_tasks", "sector_tasks", "warnings_tasks"]
