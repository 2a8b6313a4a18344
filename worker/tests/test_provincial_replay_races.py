"""Replays of held province updates sent at once by several district users: each held update goes back to 待应用
once, one replay says so and is audited, the others replay nothing and write nothing."""

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from worker_support import live_worker_api_fixture, worker_database_fixture

from conftest import DISTRICT
from dixian_worker.models import COMMON as WORKER_TABLES
from dixian_worker.sync.models import InboundUpdate

__all__ = ["live_worker_api_fixture", "worker_database_fixture"]

CALLERS = 4


@pytest.mark.parametrize("body", [{"status": "未匹配", "seqs": [1]}, {"status": "未匹配"}])
async def test_concurrent_replays_of_a_held_update_move_it_once_and_are_audited_once(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_worker_api: httpx.AsyncClient,
    token_for: Any,
    body: dict[str, Any],
) -> None:
    async with committed() as session:
        for seq, status in ((1, "未匹配"), (2, "已拒绝")):
            update = {"seq": seq, "type": "assistance_status", "household_local_id": 9, "assistance_status": "帮扶中"}
            session.add(
                InboundUpdate(seq=seq, type=update["type"], household_local_id=9, payload=update, status=status)
            )
        await session.commit()

    replies = await asyncio.gather(
        *(
            live_worker_api.post("/sync/updates/replay", json=body, headers=token_for("district", DISTRICT, f"d{n}"))
            for n in range(CALLERS)
        )
    )

    assert [r.status_code for r in replies] == [200] * CALLERS, [r.text for r in replies]
    assert sorted(r.json()["replayed"] for r in replies) == [0] * (CALLERS - 1) + [1]
    async with committed() as session:
        statuses = dict((await session.execute(select(InboundUpdate.seq, InboundUpdate.status))).all())
        audit = WORKER_TABLES.audit_log
        audited = await session.scalar(
            select(func.count()).select_from(audit).where(audit.c.entity == "provincial_inbound")
        )
    assert statuses == {1: "待应用", 2: "已拒绝"}  # the refused one was not named and stays held
    assert audited == 1
