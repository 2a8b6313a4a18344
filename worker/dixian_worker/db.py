"""The worker schema's session factory, made on first use."""

from dixian_shared.jobs import LazySessionmaker
from dixian_worker.settings import WorkerSettings

worker_sessions = LazySessionmaker(WorkerSettings)
