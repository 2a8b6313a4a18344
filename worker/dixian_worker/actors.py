"""Everything the worker runs: `dramatiq dixian_worker.actors`. Importing the broker first sets it for all actors."""

from dixian_worker import provincial
from dixian_worker.broker import broker
from dixian_worker.notifications import tasks as notification_tasks
from dixian_worker.reminders import tasks as reminder_tasks
from employment_api.roster import tasks as roster_tasks
from employment_api.sheets import tasks as ledger_upload_tasks
from monitoring_api.imports import tasks as import_tasks
from monitoring_api.sector.crosscheck import tasks as sector_tasks
from monitoring_api.warnings import tasks as warnings_tasks

__all__ = [
    "broker",
    "import_tasks",
    "ledger_upload_tasks",
    "notification_tasks",
    "provincial",
    "reminder_tasks",
    "roster_tasks",
    "sector_tasks",
    "warnings_tasks",
]
