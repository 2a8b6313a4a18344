"""The province's 帮扶状态 and income verifications through the pull: applied and seen on the household, a page read
again changes nothing, a bad update is refused without holding up the rest, and the demo province answers the
households it receives."""

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
    relay_to_ledger,
    sync_settings,
    worker_database_fixture,
)

from conftest import DISTRICT, VILLAGE
from deploy.province_sim import Province
from dixian_shared import idnumber
from dixian_worker.sync.models import Checkpoint, InboundUpdate
from dixian_worker.sync.service import pull_all, push_all

__all__ = ["live_monitoring_fixture", "live_worker_api_fixture", "province_fixture", "worker_database_fixture"]


def verified(hid: int, per_capita: str, year: int = 2024) -> dict[str, Any]:
    result = {"year": year, "per_capita_net_income": per_capita, "verified_on": "2024-12-10"}
    return {"type": "income_verified", "household_local_id": hid, "income_verified": result}


async def _read(live: Monitoring, token_for: Any, path: str) -> Any:
    async with live.client() as client:
        response = await client.get(path, headers=token_for("district", DISTRICT))
        assert response.status_code == 200, response.text
        return response.json()


async def _statuses(committed: async_sessionmaker[AsyncSession]) -> dict[int, str]:
    async with committed() as session:
        rows = (await session.execute(select(InboundUpdate.seq, InboundUpdate.status))).all()
    return dict(sorted((seq, status) for seq, status in rows))


async def test_status_and_income_updates_reach_the_household_once_and_bad_ones_do_not_block_the_feed(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_monitoring: Monitoring,
    live_worker_api: httpx.AsyncClient,
    token_for: Any,
    province: tuple[Province, str],
) -> None:
    sim, url = province
    async with live_monitoring.client() as client:
        hid = await new_household(client, token_for("district", DISTRICT), VILLAGE, 31)
    settings = await sync_settings(committed, url)
    assert (await pull_all(settings, monitoring_transport=live_monitoring.transport))[0] == "成功"  # the baseline

    sim.add_update(type="assistance_status", household_local_id=hid, assistance_status="帮扶中")  # 1
    sim.add_update(type="assistance_status", household_local_id=hid)  # 2: no status, monitoring-api refuses it
    sim.add_update(type="income_verified", household_local_id=hid, income_verified={"year": "去年"})  # 3: unreadable
    sim.add_update(**verified(hid, "6100.00"))  # 4: below 2024's line of 7300
    stranger = idnumber.make("36070219800101998")
    sim.add_update(type="assistance_status", id_number=stranger, assistance_status="帮扶中")  # 5: not ours
    sim.add_update(type="assistance_status", household_local_id=hid, assistance_status="帮扶完成")  # 6

    status, counts = await pull_all(settings, monitoring_transport=live_monitoring.transport)
    assert status == "成功" and counts == {"received": 6, "conflicts": 0, "applied": 4}
    assert await _statuses(committed) == {1: "已应用", 2: "已拒绝", 3: "已拒绝", 4: "已应用", 5: "未匹配", 6: "已应用"}
    household = await _read(live_monitoring, token_for, f"/households/{hid}")
    assert household["assistance_status"] == "帮扶完成"
    assert [(v["year"], v["per_capita_net_income"]) for v in household["income_verifications"]] == [(2024, "6100.00")]
    history = await _read(live_monitoring, token_for, f"/households/{hid}/history")
    assert [h["status"] for h in history["assistance_statuses"]] == ["帮扶中", "帮扶完成"]
    warnings = (await _read(live_monitoring, token_for, f"/households/{hid}/warnings"))["items"]
    assert [(w["line"], w["grade"], w["source"]) for w in warnings] == [("收入线", "红色", "省防返贫监测帮扶系统")]
    state = (await live_worker_api.get("/sync/state", headers=token_for("district", DISTRICT))).json()
    assert (state["refused"], state["unmatched"]) == (2, 1)

    # The feed read again from the start (a checkpoint lost in a crash): nothing is stored or applied twice.
    async with committed() as session:
        (await session.get(Checkpoint, "updates")).cursor = 0  # type: ignore[union-attr]
        await session.commit()
    assert await pull_all(settings, monitoring_transport=live_monitoring.transport) == (
        "成功",
        {"received": 6, "conflicts": 0, "applied": 0},
    )
    again = await _read(live_monitoring, token_for, f"/households/{hid}/history")
    assert again["assistance_statuses"] == history["assistance_statuses"]


async def test_the_demo_province_answers_a_household_it_received_without_a_conflict(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_monitoring: Monitoring,
    token_for: Any,
    province: tuple[Province, str],
) -> None:
    sim, url = province
    sim.react = True
    district = token_for("district", DISTRICT)
    async with live_monitoring.client() as client:
        hid = await new_household(client, district, VILLAGE, 32)
    await relay_to_ledger(committed)
    settings = await sync_settings(committed, url)
    assert (await push_all(settings, monitoring_transport=live_monitoring.transport))[0] == "成功"

    # The pull after the push sees the province's answer only at its next read, when our change is behind us.
    assert await pull_all(settings, monitoring_transport=live_monitoring.transport) == (
        "成功",
        {"received": 0, "conflicts": 0, "applied": 0},
    )
    assert await pull_all(settings, monitoring_transport=live_monitoring.transport) == (
        "成功",
        {"received": 2, "conflicts": 0, "applied": 2},
    )
    household = await _read(live_monitoring, token_for, f"/households/{hid}")
    assert household["assistance_status"] == ("帮扶中", "帮扶完成", "待帮扶")[hid % 3]
    [income] = household["income_verifications"]
    assert income["per_capita_net_income"] == f"{6000 + (hid * 977) % 6000}.00"
    assert [u["type"] for u in sim.updates] == ["assistance_status", "income_verified"]
    # Answered once: the province does not repeat itself on later reads.
    assert (await pull_all(settings, monitoring_transport=live_monitoring.transport))[1]["received"] == 0
