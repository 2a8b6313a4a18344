"""Province updates the worker cannot store as they came (an ID number longer than the column, a NUL character the
database refuses) are kept as 已拒绝 with the reason; the feed behind them is not held up."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from worker_support import (
    Monitoring,
    live_monitoring_fixture,
    new_household,
    province_fixture,
    sync_settings,
    worker_database_fixture,
)

from conftest import DISTRICT, VILLAGE
from deploy.province_sim import Province
from dixian_worker.sync.models import InboundUpdate
from dixian_worker.sync.service import pull_all

__all__ = ["live_monitoring_fixture", "province_fixture", "worker_database_fixture"]


@pytest.mark.parametrize(
    "bad",
    [
        {"id_number": "3" * 19},  # longer than a resident ID (and the column that keeps it)
        {"id_number": "36070219700101004\x00"},
        {"risk_types": ["因病\x00"], "type": "subject_identified"},
        {"type": "assistance\x00"},  # not the contract's shape, kept as it came
    ],
)
async def test_an_update_that_cannot_be_stored_as_it_came_is_refused_and_the_feed_goes_on(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_monitoring: Monitoring,
    token_for: Any,
    province: tuple[Province, str],
    bad: dict[str, Any],
) -> None:
    sim, url = province
    async with live_monitoring.client() as client:
        hid = await new_household(client, token_for("district", DISTRICT), VILLAGE, 51)
    settings = await sync_settings(committed, url)
    sim.add_update(**{"type": "assistance_status", "assistance_status": "帮扶中", **bad})  # 1
    sim.add_update(type="assistance_status", household_local_id=hid, assistance_status="帮扶中")  # 2

    status, counts = await pull_all(settings, monitoring_transport=live_monitoring.transport)

    assert (status, counts["received"], counts["applied"]) == ("成功", 2, 1), counts
    async with committed() as session:
        rows = {r.seq: r for r in (await session.scalars(select(InboundUpdate))).all()}
    assert (rows[1].status, rows[2].status) == ("已拒绝", "已应用")
    assert rows[1].error
