"""The provincial pull: updates from a checkpoint, both-sides changes become conflicts, a crashed run resumes."""

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
from deploy.province_sim import Faults, Province
from dixian_shared import idnumber
from dixian_worker.sync.models import Checkpoint, InboundUpdate
from dixian_worker.sync.service import pull_all

__all__ = ["live_monitoring_fixture", "live_worker_api_fixture", "province_fixture", "worker_database_fixture"]


def identified(**fields: Any) -> dict[str, Any]:
    return {
        "type": "subject_identified",
        "identified_on": "2024-03-01",
        "subject_kind": "边缘易致贫户",
        "risk_types": ["因病"],
        **fields,
    }


async def _household(live: Monitoring, token_for: Any, hid: int) -> dict[str, Any]:
    async with live.client() as client:
        return dict((await client.get(f"/households/{hid}", headers=token_for("district", DISTRICT))).json())


async def test_a_change_on_both_sides_becomes_a_conflict_the_district_resolves(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_monitoring: Monitoring,
    live_worker_api: httpx.AsyncClient,
    token_for: Any,
    province: tuple[Province, str],
) -> None:
    sim, url = province
    district = token_for("district", DISTRICT)
    async with live_monitoring.client() as client:
        ours, theirs = [await new_household(client, district, VILLAGE, n) for n in (1, 2)]
    await relay_to_ledger(committed)
    settings = await sync_settings(committed, url)
    assert (await pull_all(settings, monitoring_transport=live_monitoring.transport))[0] == "成功"  # the baseline

    # Here: a village changes one household after the last sync. There: the province identifies both as subjects.
    async with live_monitoring.client() as client:
        patched = await client.patch(
            f"/households/{ours}", json={"phone": "13800000000"}, headers={**district, "If-Match": '"1"'}
        )
        assert patched.status_code == 200, patched.text
    await relay_to_ledger(committed)
    sim.add_update(**identified(household_local_id=ours))
    sim.add_update(**identified(household_local_id=theirs, identified_on="2024-02-15", risk_types=["因学", "因病"]))

    status, counts = await pull_all(settings, monitoring_transport=live_monitoring.transport)
    assert status == "成功" and counts == {"received": 2, "conflicts": 1, "applied": 1}
    # The household changed only there is now a subject with the province's identification date and risk types, so
    # the six-month rules count from that date; the one changed on both sides is untouched until the district decides.
    applied = await _household(live_monitoring, token_for, theirs)
    assert (applied["category"], applied["included_on"], applied["risk_causes"]) == (
        "边缘易致贫户",
        "2024-02-15",
        ["因学", "因病"],
    )
    assert (await _household(live_monitoring, token_for, ours))["category"] == "一般农户"

    state = (await live_worker_api.get("/sync/state", headers=district)).json()
    assert state["conflicts"] == 1 and state["last_pull"]["status"] == "成功" and state["pull_cursor"] == 2
    [conflict] = (await live_worker_api.get("/sync/conflicts", params={"status": "待处理"}, headers=district)).json()[
        "items"
    ]
    assert conflict["household_local_id"] == ours and conflict["local_changes"][0]["entity"] == "household"
    village = token_for("village", VILLAGE)
    assert (
        await live_worker_api.post(
            f"/sync/conflicts/{conflict['id']}/resolve", json={"keep": "province"}, headers=village
        )
    ).status_code == 403
    resolved = await live_worker_api.post(
        f"/sync/conflicts/{conflict['id']}/resolve", json={"keep": "province", "note": "省里核实为准"}, headers=district
    )
    assert resolved.status_code == 200, resolved.text
    again = await live_worker_api.post(
        f"/sync/conflicts/{conflict['id']}/resolve", json={"keep": "local"}, headers=district
    )
    assert again.status_code == 422 and again.json()["rule"] == "conflict-resolved-once"

    assert (await pull_all(settings, monitoring_transport=live_monitoring.transport)) == (
        "成功",
        {"received": 0, "conflicts": 0, "applied": 1},
    )
    assert (await _household(live_monitoring, token_for, ours))["category"] == "边缘易致贫户"
    assert (await live_worker_api.get("/sync/state", headers=district)).json()["conflicts"] == 0


async def test_a_pull_that_failed_half_way_resumes_from_its_checkpoint(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_monitoring: Monitoring,
    token_for: Any,
    province: tuple[Province, str],
) -> None:
    sim, url = province
    async with live_monitoring.client() as client:
        ids = [await new_household(client, token_for("district", DISTRICT), VILLAGE, 10 + n) for n in range(5)]
    for n in range(5):
        sim.add_update(**identified(id_number=idnumber.make(f"36070219700101{10 + n:03d}")))
    settings = await sync_settings(committed, url, pull_page_size=2)

    # The feed breaks after the first page: that page is kept and applied, the run says it failed.
    sim.faults = Faults(fail_updates_after=2)
    status, counts = await pull_all(settings, monitoring_transport=live_monitoring.transport)
    assert status == "失败" and counts == {"received": 2, "conflicts": 0, "applied": 2}
    async with committed() as session:
        assert (await session.get(Checkpoint, "updates")).cursor == 2  # type: ignore[union-attr]

    sim.faults = Faults()
    status, counts = await pull_all(settings, monitoring_transport=live_monitoring.transport)
    assert status == "成功" and counts == {"received": 3, "conflicts": 0, "applied": 3}
    assert sim.update_cursors == [0, 2, 2, 4]  # the second run started where the first one's last page ended
    async with committed() as session:
        statuses = (await session.scalars(select(InboundUpdate.status).order_by(InboundUpdate.seq))).all()
    assert statuses == ["已应用"] * 5
    for hid in ids:
        household = await _household(live_monitoring, token_for, hid)
        assert (household["category"], household["included_on"]) == ("边缘易致贫户", "2024-03-01")

    # A page read again (the checkpoint lost, as if a crash came before it was saved) changes nothing twice.
    async with committed() as session:
        (await session.get(Checkpoint, "updates")).cursor = 0  # type: ignore[union-attr]
        await session.commit()
    assert await pull_all(settings, monitoring_transport=live_monitoring.transport) == (
        "成功",
        {"received": 5, "conflicts": 0, "applied": 0},
    )
