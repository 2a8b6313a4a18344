"""Everything the worker runs: `dramatiq dixian_worker.actors`. Importing the broker first sets it for all actors."""

from dixian_worker import provincial
from dixian_worker.broker import broker

__all__ = ["broker", "provincial"]
