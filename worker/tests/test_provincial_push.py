"""The provincial push against the simulator: real records, each acknowledged once, refusals parked, faults retried."""

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from worker_support import (
    Monitoring,
    live_monitoring_fixture,
    live_worker_api_fixture,
    new_household,
    province_fixture,
    relay_to_ledger,
    sync_settings,
    worker_database_fixture,
)

from conftest import DISTRICT, VILLAGE
from deploy.province_sim import Faults, Province
from dixian_worker.models import ProvincialOutgoing
from dixian_worker.sync.models import SyncRun
from dixian_worker.sync.service import push_all

__all__ = ["live_monitoring_fixture", "live_worker_api_fixture", "province_fixture", "worker_database_fixture"]


async def _seed(live: Monitoring, token_for: Any, count: int) -> list[int]:
    async with live.client() as client:
        return [await new_household(client, token_for("district", DISTRICT), VILLAGE, n) for n in range(count)]


async def _ledger(committed: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with committed() as session:
        rows = await session.execute(
            select(ProvincialOutgoing.status, func.count()).group_by(ProvincialOutgoing.status)
        )
        return {status: count for status, count in rows.all()}


async def test_with_a_third_of_requests_failing_every_change_arrives_exactly_once(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_monitoring: Monitoring,
    token_for: Any,
    province: tuple[Province, str],
) -> None:
    sim, url = province
    await _seed(live_monitoring, token_for, 25)
    changes = await relay_to_ledger(committed)
    assert changes == 50  # each household and its member
    sim.faults = Faults(
        fail_rate=0.3, timeout_rate=0.1, timeout_seconds=1.0, duplicate_acks=True, shuffle_acks=True, seed=11
    )
    settings = await sync_settings(
        committed, url, batch_size=8, timeout_seconds=0.4, backoff_seconds=0, max_attempts=100
    )
    statuses = []
    for _ in range(40):
        status, counts = await push_all(settings, monitoring_transport=live_monitoring.transport)
        statuses.append((status, counts))
        if (await _ledger(committed)) == {"已确认": changes}:
            break
    assert await _ledger(committed) == {"已确认": changes}
    # The province holds each change once, although timeouts made us send some twice.
    assert len(sim.records) == changes and set(sim.applied.values()) == {1}
    async with committed() as session:
        acked = (await session.scalars(select(ProvincialOutgoing.ack))).all()
        households = (
            await session.scalars(select(ProvincialOutgoing).where(ProvincialOutgoing.entity == "household"))
        ).all()
    assert "duplicate" in acked  # a record stored before its answer timed out was acknowledged as a duplicate later
    record = sim.records[str(households[0].message_id)]
    assert record["type"] == "household" and record["data"]["head_name"].startswith("户主")
    assert record["data"]["region_code"] == VILLAGE and record["local_id"] == households[0].entity_id
    # Runs that met a failure say so; only a clean run reports success.
    assert any(status == "失败" for status, _ in statuses)
    assert all(status == "失败" for status, counts in statuses if counts["failed"])
    async with committed() as session:
        runs = (await session.scalars(select(SyncRun).where(SyncRun.kind == "push"))).all()
    assert all(run.status in ("成功", "失败") and run.finished_at is not None for run in runs)


@pytest.mark.parametrize("strict", [False, True], ids=["refused-in-the-acks", "batch-refused-with-422"])
async def test_a_refused_record_is_parked_and_the_rest_go_through(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_monitoring: Monitoring,
    token_for: Any,
    province: tuple[Province, str],
    strict: bool,
    live_worker_api: httpx.AsyncClient,
) -> None:
    sim, url = province
    ids = await _seed(live_monitoring, token_for, 6)
    await relay_to_ledger(committed)
    sim.faults = Faults(strict=strict, refuse=[f"household:{ids[2]}"])
    settings = await sync_settings(committed, url, batch_size=5)
    status, counts = await push_all(settings, monitoring_transport=live_monitoring.transport)
    assert status == "成功" and counts["parked"] == 1
    assert await _ledger(committed) == {"已确认": 11, "已搁置": 1}
    async with committed() as session:
        parked = await session.scalar(select(ProvincialOutgoing).where(ProvincialOutgoing.status == "已搁置"))
    assert parked is not None and parked.entity_id == ids[2] and parked.reason == "记录未通过省级校验"
    requests = sim.requests
    # A parked record is not sent again by later runs.
    assert (await push_all(settings, monitoring_transport=live_monitoring.transport))[1]["sent"] == 0
    assert sim.requests == requests
    # Once the province's objection is settled, the district replays it and it goes through.
    district = token_for("district", DISTRICT)
    state = (await live_worker_api.get("/sync/state", headers=district)).json()
    assert (state["backlog"], state["parked"], state["dead"], state["last_push"]["status"]) == (0, 1, 0, "成功")
    listed = (await live_worker_api.get("/sync/records", params={"status": "已搁置"}, headers=district)).json()
    assert [r["entity_id"] for r in listed["items"]] == [ids[2]]
    replayed = await live_worker_api.post("/sync/records/replay", json={"status": "已搁置"}, headers=district)
    assert replayed.json() == {"replayed": 1}
    sim.faults = Faults()
    assert (await push_all(settings, monitoring_transport=live_monitoring.transport))[1]["acked"] == 1
    assert await _ledger(committed) == {"已确认": 12}
