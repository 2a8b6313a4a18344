"""The worker's broker. Dramatiq needs it set before any actor module is imported, so this module does just that."""

import dramatiq
from dramatiq.middleware import AsyncIO

from dixian_shared.jobs import Schedules
from dixian_shared.queue import make_broker
from dixian_worker.settings import WorkerSettings

broker = make_broker(WorkerSettings().redis.url)
broker.add_middleware(AsyncIO())
broker.add_middleware(Schedules())
dramatiq.set_broker(broker)
