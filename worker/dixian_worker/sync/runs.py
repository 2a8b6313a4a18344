"""Sync runs: started 进行中, ended 成功 only when every part of the run succeeded, else 失败 with the error."""

from datetime import UTC, datetime

from dixian_worker.db import worker_sessions
from dixian_worker.sync.models import SyncRun


async def start(kind: str) -> int:
    async with worker_sessions() as session:
        run = SyncRun(kind=kind)
        session.add(run)
        await session.commit()
        return run.id


async def finish(run_id: int, counts: dict[str, int], errors: list[str]) -> str:
    status = "失败" if errors else "成功"
    async with worker_sessions() as session:
        run = await session.get(SyncRun, run_id)
        assert run is not None
        run.status, run.counts, run.finished_at = status, counts, datetime.now(UTC)
        run.error = "; ".join(sorted(set(errors)))[:1000] or None
        await session.commit()
    return status
