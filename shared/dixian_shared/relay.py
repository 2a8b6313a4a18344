"""The outbox relay: moves committed outbox rows to the broker, oldest first, and marks them sent.

Several relays may run (one per API replica): rows are claimed with SKIP LOCKED. A broker failure rolls the claim back
and the rows are retried after a back-off, so nothing is lost while Redis is down.
"""

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
import dramatiq
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dixian_shared.outbox import NOTIFY_CHANNEL
from dixian_shared.queue import send_by_name
from dixian_shared.settings import OutboxSettings

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        outbox: Table,
        broker: dramatiq.Broker,
        settings: OutboxSettings,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._outbox = outbox
        self._broker = broker
        self._settings = settings
        self._wake = asyncio.Event()

    async def relay_once(self) -> int:
        """Send one batch; return how many rows were sent. Raises if the broker is unreachable."""
        outbox = self._outbox
        async with self._sessionmaker() as session:
            rows = (
                await session.execute(
                    select(outbox.c.id, outbox.c.message_id, outbox.c.actor_name, outbox.c.queue_name, outbox.c.payload)
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.id)
                    .limit(self._settings.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            try:
                await asyncio.to_thread(self._send_all, list(rows))
            except Exception as exc:
                await session.rollback()
                await self._record_failure([row.id for row in rows], exc)
                raise
            await session.execute(
                update(outbox).where(outbox.c.id.in_([row.id for row in rows])).values(published_at=func.now())
            )
            await session.commit()
            return len(rows)

    def _send_all(self, rows: list[Any]) -> None:
        for row in rows:
            send_by_name(
                self._broker,
                actor_name=row.actor_name,
                queue_name=row.queue_name,
                kwargs=row.payload,
                message_id=str(row.message_id),
            )

    async def _record_failure(self, ids: list[int], exc: Exception) -> None:
        async with self._sessionmaker() as session:
            await session.execute(
                update(self._outbox)
                .where(self._outbox.c.id.in_(ids))
                .values(attempts=self._outbox.c.attempts + 1, last_error=str(exc)[:500])
            )
            await session.commit()

    async def drain(self) -> int:
        total = 0
        while sent := await self.relay_once():
            total += sent
        return total

    async def run_forever(self, listen_dsn: str | None = None) -> None:
        """Relay until cancelled: woken by NOTIFY on commit, polling as a fallback, backing off while Redis is down."""
        listener = await self._listen(listen_dsn) if listen_dsn else None
        backoff = self._settings.poll_seconds
        try:
            while True:
                try:
                    await self.drain()
                    backoff = self._settings.poll_seconds
                except Exception as exc:  # the broker or the database is away: keep the rows, try again later
                    log.warning("outbox relay paused: %s", exc)
                    backoff = min(backoff * 2, self._settings.max_backoff_seconds)
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=backoff)
        finally:
            if listener is not None:
                await listener.close()

    async def _listen(self, dsn: str) -> asyncpg.Connection | None:
        try:
            connection = await asyncpg.connect(dsn)
            await connection.add_listener(NOTIFY_CHANNEL, lambda *_: self._wake.set())
            return connection
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("outbox relay polls only, LISTEN failed: %s", exc)
            return None
