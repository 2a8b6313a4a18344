"""The district replays province updates the registry held back: one about a household not registered yet is
未匹配 with its reason; once the household is registered, the replayed update is applied at the next pull. A replay
is audited once, a second one changes nothing, and only the district may replay."""

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from worker_support import (
    Monitoring,
    live_monitoring_fixture,
    live_worker_api_fixture,
    new_household,
    province_fixture,
    sync_settings,
    worker_database_fixture,
)

from conftest import DISTRICT, TOWN, VILLAGE
from deploy.province_sim import Province
from dixian_shared import idnumber
from dixian_worker.models import COMMON as WORKER_TABLES
from dixian_worker.sync.models import InboundUpdate
from dixian_worker.sync.pull import UNMATCHED_REASON
from dixian_worker.sync.service import pull_all

__all__ = ["live_monitoring_fixture", "live_worker_api_fixture", "province_fixture", "worker_database_fixture"]

SERIAL = 41  # new_household's head: idnumber.make(f"36070219700101{SERIAL:03d}")


async def _statuses(committed: async_sessionmaker[AsyncSession]) -> dict[int, str]:
    async with committed() as session:
        rows = (await session.execute(select(InboundUpdate.seq, InboundUpdate.status))).all()
    return dict(sorted((seq, status) for seq, status in rows))


async def _replay_audit(committed: async_sessionmaker[AsyncSession]) -> list[tuple[str, str | None, Any]]:
    audit = WORKER_TABLES.audit_log
    stmt = select(audit.c.actor, audit.c.actor_role, audit.c.changes).where(audit.c.entity == "provincial_inbound")
    async with committed() as session:
        return [tuple(row) for row in (await session.execute(stmt.order_by(audit.c.id))).all()]


async def test_an_unmatched_update_replayed_after_the_household_is_registered_is_applied_once(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_monitoring: Monitoring,
    live_worker_api: httpx.AsyncClient,
    token_for: Any,
    province: tuple[Province, str],
) -> None:
    sim, url = province
    district = token_for("district", DISTRICT, subject="replayer")
    settings = await sync_settings(committed, url)
    assert (await pull_all(settings, monitoring_transport=live_monitoring.transport))[0] == "成功"  # the baseline

    head = idnumber.make(f"36070219700101{SERIAL:03d}")
    sim.add_update(type="assistance_status", id_number=head, assistance_status="帮扶中")  # 1: not registered yet
    sim.add_update(type="assistance_status", id_number=head)  # 2: no status, refused as bad input
    status, counts = await pull_all(settings, monitoring_transport=live_monitoring.transport)
    assert status == "成功" and counts["applied"] == 1  # the 未匹配 outcome is an answer too
    assert await _statuses(committed) == {1: "未匹配", 2: "已拒绝"}

    held = await live_worker_api.get("/sync/updates", params={"status": "未匹配", "limit": 1}, headers=district)
    assert held.status_code == 200, held.text
    [item] = held.json()["items"]
    assert (item["seq"], item["error"]) == (1, UNMATCHED_REASON)
    assert held.json()["next_cursor"] is None
    refused = (await live_worker_api.get("/sync/updates", params={"status": "已拒绝"}, headers=district)).json()
    assert [(u["seq"], bool(u["error"])) for u in refused["items"]] == [(2, True)]
    bad_status = await live_worker_api.get("/sync/updates", params={"status": "随便"}, headers=district)
    assert bad_status.status_code == 422

    for role, region in (("town", TOWN), ("village", VILLAGE)):
        denied = await live_worker_api.post(
            "/sync/updates/replay", json={"status": "未匹配"}, headers=token_for(role, region)
        )
        assert denied.status_code == 403, denied.text
    assert await _statuses(committed) == {1: "未匹配", 2: "已拒绝"} and await _replay_audit(committed) == []

    async with live_monitoring.client() as client:
        hid = await new_household(client, token_for("district", DISTRICT), VILLAGE, SERIAL)
    body = {"status": "未匹配", "seqs": [1]}
    replayed = await live_worker_api.post("/sync/updates/replay", json=body, headers=district)
    assert (replayed.status_code, replayed.json()) == (200, {"replayed": 1})
    again = await live_worker_api.post("/sync/updates/replay", json=body, headers=district)
    assert (again.status_code, again.json()) == (200, {"replayed": 0})
    assert await _statuses(committed) == {1: "待应用", 2: "已拒绝"}
    assert await _replay_audit(committed) == [
        ("user:replayer", "district", {"seqs": [None, [1]], "status": ["未匹配", "待应用"]})
    ]

    assert (await pull_all(settings, monitoring_transport=live_monitoring.transport))[1]["applied"] == 1
    assert await _statuses(committed) == {1: "已应用", 2: "已拒绝"}
    async with live_monitoring.client() as client:
        household = (await client.get(f"/households/{hid}", headers=district)).json()
    assert household["assistance_status"] == "帮扶中"

    # Replaying every refused one sends update 2 again; monitoring-api still refuses it, and it stays 已拒绝.
    everything = await live_worker_api.post("/sync/updates/replay", json={"status": "已拒绝"}, headers=district)
    assert everything.json() == {"replayed": 1}
    assert (await pull_all(settings, monitoring_transport=live_monitoring.transport))[1]["applied"] == 0
    assert await _statuses(committed) == {1: "已应用", 2: "已拒绝"}
    assert len(await _replay_audit(committed)) == 2
