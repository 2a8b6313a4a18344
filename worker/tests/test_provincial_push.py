"""The provincial push: batches of pending changes, kept while the province is down, acknowledged once."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from worker_support import worker_database_fixture

from dixian_shared.testing.plugin import StubServer
from dixian_worker.db import worker_sessions
from dixian_worker.models import ProvincialOutgoing
from dixian_worker.provincial import push_pending
from dixian_worker.settings import ProvinceSettings, WorkerSettings

__all__ = ["worker_database_fixture"]


async def _queue_changes(committed: async_sessionmaker[AsyncSession], count: int) -> None:
    async with committed() as session:
        session.add_all(
            ProvincialOutgoing(
                message_id=uuid.uuid4(),
                topic="monitoring.member.changed",
                entity="member",
                entity_id=i,
                region_code="360702191200",
                payload={"action": "created"},
            )
            for i in range(count)
        )
        await session.commit()


async def test_changes_wait_while_the_province_is_down_and_go_once_it_answers(
    committed: async_sessionmaker[AsyncSession], stub_server: StubServer, worker_database: None
) -> None:
    await _queue_changes(committed, 3)
    settings = WorkerSettings(province=ProvinceSettings(url=stub_server.url, api_key="k", batch_size=2))

    stub_server.status[0] = 503
    assert await push_pending(settings) == 0
    async with committed() as session:
        pending = (
            await session.scalars(select(ProvincialOutgoing).where(ProvincialOutgoing.pushed_at.is_(None)))
        ).all()
        assert len(pending) == 3
        assert {row.attempts for row in pending} == {1, 0}  # the failed batch of two was counted

    stub_server.status[0] = 200
    assert await push_pending(settings) == 2
    assert await push_pending(settings) == 1
    assert await push_pending(settings) == 0
    accepted = stub_server.requests[1:]
    assert [len(r["json"]) for r in accepted] == [2, 1]  # type: ignore[arg-type]
    assert all(r["path"] == "/records" and r["headers"]["X-API-Key"] == "k" for r in accepted)
    # The retried batch carries the same idempotency key as the failed attempt, so the province can dedupe it.
    assert stub_server.requests[0]["headers"]["Idempotency-Key"] == accepted[0]["headers"]["Idempotency-Key"]
    await worker_sessions.dispose()
