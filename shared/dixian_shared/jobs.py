"""What actors share: a session factory made on first use inside the worker's event loop, never at import time,
and the Schedules middleware that lets an actor declare its own cron schedule."""

from collections.abc import Callable
from typing import Any

import dramatiq
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from dixian_shared.db import create_engine, create_sessionmaker
from dixian_shared.settings import ServiceSettings
from dixian_shared.tables import CommonTables


class LazySessionmaker:
    def __init__(self, settings_factory: Callable[[], ServiceSettings], common: CommonTables | None = None) -> None:
        self._settings_factory = settings_factory
        self._common = common
        self._engine: AsyncEngine | None = None
        self._sessionmaker: async_sessionmaker[AsyncSession] | None = None

    def __call__(self) -> AsyncSession:
        if self._sessionmaker is None:
            settings = self._settings_factory()
            self._engine = create_engine(settings.postgres, application_name=f"{settings.service_name}-jobs")
            self._sessionmaker = create_sessionmaker(self._engine)
            if self._common is not None:
                self._sessionmaker.configure(info={"common": self._common, "actor": "worker"})
        return self._sessionmaker()

    def engine(self) -> AsyncEngine:
        """The engine behind the sessions, for work that must hold one connection (a session-level lock)."""
        if self._engine is None:
            self()  # makes the engine; a session holds no connection until it is used
        assert self._engine is not None
        return self._engine

    def reset(self) -> None:
        """Forget the engine so the next session reads the settings again (tests point it at their database)."""
        self._engine = None
        self._sessionmaker = None

    async def dispose(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
        self._engine = None
        self._sessionmaker = None


class Schedules(dramatiq.Middleware):
    """Allows `cron="…"` on an actor; the scheduler reads it. Declared here so every broker accepts the option."""

    @property
    def actor_options(self) -> set[str]:
        return {"cron"}

    @staticmethod
    def scheduled(broker: dramatiq.Broker) -> list[tuple[str, str, str]]:
        """(actor name, queue, cron expression) of every scheduled actor the broker knows."""
        found = []
        for name in broker.get_declared_actors():
            actor: Any = broker.get_actor(name)
            if cron := actor.options.get("cron"):
                found.append((name, actor.queue_name, cron))
        return sorted(found)
