"""Sync runs: started 进行中, ended 成功 only when every part of the run succeeded, else 失败 with the error.

A run holds a session-level advisory lock on its id, on a connection of its own, for as long as it lives. When its
process dies mid-run (kill -9, a lost machine) PostgreSQL ends that connection and the lock goes with it; the next run
of the kind finds the 进行中 run whose lock is free and marks it 失败, so no run stays 进行中 after its process is gone,
while a run still going in another worker (its lock held) is left alone.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from dixian_worker.db import worker_sessions
from dixian_worker.sync.models import SyncRun

LOCK_CLASS = 0x5359  # the first key of the two-key advisory lock; the run's id is the second
INTERRUPTED = "中断：执行该次同步的进程已停止"

ABANDONED = text("""
UPDATE worker.sync_run SET status = '失败', finished_at = now(), error = :error
WHERE kind = :kind AND status = '进行中' AND pg_try_advisory_xact_lock(:lock_class, CAST(id % 2147483647 AS int))
""")


@dataclass
class Run:
    id: int
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    status: str = "进行中"


def _key(run_id: int) -> tuple[int, int]:
    return LOCK_CLASS, run_id % 2147483647


@asynccontextmanager
async def tracked(kind: str) -> AsyncIterator[Run]:
    """A run of `kind` while the block runs; ended 成功 / 失败 from `run.errors` (失败 too if the block raises)."""
    async with worker_sessions.engine().connect() as conn:
        async with conn.begin():
            await conn.execute(ABANDONED, {"kind": kind, "error": INTERRUPTED, "lock_class": LOCK_CLASS})
            run_id = int((await conn.execute(insert(SyncRun).values(kind=kind).returning(SyncRun.id))).scalar_one())
            # Taken before the row is visible to anyone, so no other run can see it 进行中 and unlocked.
            await conn.execute(select(func.pg_advisory_lock(*_key(run_id))))
        run = Run(run_id)
        try:
            yield run
        except BaseException as exc:
            run.errors.append(f"{type(exc).__name__}: {exc}")
            await _finish(conn, run)
            raise
        await _finish(conn, run)


async def _finish(conn: AsyncConnection, run: Run) -> None:
    run.status = "失败" if run.errors else "成功"
    async with conn.begin():
        await conn.execute(
            update(SyncRun)
            .where(SyncRun.id == run.id)
            .values(
                status=run.status,
                counts=run.counts,
                finished_at=func.now(),
                error="; ".join(sorted(set(run.errors)))[:1000] or None,
            )
        )
        await conn.execute(select(func.pg_advisory_unlock(*_key(run.id))))
