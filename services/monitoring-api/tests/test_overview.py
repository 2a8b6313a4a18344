"""The overview per child region: categories, key groups, open warnings and overdue counts, set-based and scoped."""

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.households.models import Household
from monitoring_api.overview.contributors import (
    OVERDUE_CONTRIBUTORS,
    OverdueContributor,
    OverviewScope,
    register,
)

from .helpers import household, member

Tokens = Callable[..., dict[str, str]]
TODAY = date(2024, 6, 10)
OTHER_TOWN = "360702192000"
WORK_GROUP = "360702400000"


@pytest.fixture(autouse=True)
def clock(monitoring_app: FastAPI) -> Iterator[None]:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY
    yield
    monitoring_app.dependency_overrides.pop(get_today, None)


async def _household(client: httpx.AsyncClient, token_for: Tokens, region: str, category: str, **facts: Any) -> int:
    body = household(region, [member(**{"medical_insured": True, **facts})], category=category)
    response = await client.post("/households", json=body, headers=token_for("district", DISTRICT))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _arrange(client: httpx.AsyncClient, token_for: Tokens) -> None:
    await _household(client, token_for, VILLAGE, "脱贫户")
    await _household(client, token_for, VILLAGE, "脱贫户", medical_insured=False)
    await _household(client, token_for, OTHER_VILLAGE, "一般农户", dibao=True)
    await _household(client, token_for, OTHER_TOWN_VILLAGE, "边缘易致贫户")
    recomputed = await client.post("/warnings/recompute", headers=token_for("district", DISTRICT))
    assert recomputed.status_code == 200, recomputed.text


def _by_code(overview: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {child["region_code"]: child for child in overview["children"]}


async def test_the_district_overview_is_grouped_by_town(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    await _arrange(monitoring, token_for)
    response = await monitoring.get("/overview", headers=token_for("district", DISTRICT))
    assert response.status_code == 200, response.text
    overview = response.json()
    assert (overview["region_code"], overview["level"], overview["as_of"]) == (DISTRICT, "district", "2024-06-10")
    towns = _by_code(overview)
    assert sorted(towns) == [TOWN, OTHER_TOWN, WORK_GROUP]  # every town, with or without households
    tankou = towns[TOWN]
    assert tankou["name"] == "潭口镇"
    assert tankou["households"] == 3
    assert tankou["by_category"]["脱贫户"] == 2
    assert tankou["by_category"]["一般农户"] == 1
    assert tankou["key_groups"]["脱贫户"] == 2
    assert tankou["key_groups"]["农村低保对象和分散供养特困人员"] == 1
    assert tankou["key_groups"]["三保障和饮水安全问题户"] == 1
    assert tankou["warnings"]["保障线"] == {"红色": 0, "黄色": 1, "绿色": 0}
    assert towns[OTHER_TOWN]["households"] == 1
    assert towns[OTHER_TOWN]["by_category"]["边缘易致贫户"] == 1
    assert towns[WORK_GROUP]["households"] == 0
    total = overview["total"]
    assert total["households"] == 4
    assert total["key_groups"]["脱贫户"] == 2
    assert total["warnings"]["保障线"]["黄色"] == 1


async def test_the_town_overview_is_grouped_by_village(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    await _arrange(monitoring, token_for)
    response = await monitoring.get("/overview", headers=token_for("town", TOWN))
    overview = response.json()
    villages = _by_code(overview)
    assert len(villages) == 18
    assert all(code.startswith(TOWN[:9]) for code in villages)
    assert villages[VILLAGE]["households"] == 2
    assert villages[OTHER_VILLAGE]["households"] == 1
    assert overview["total"]["households"] == 3  # the other town's household is not counted


async def test_the_overview_is_scoped(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    await _arrange(monitoring, token_for)
    village = token_for("village", VILLAGE)
    own = (await monitoring.get("/overview", headers=village)).json()
    assert [c["region_code"] for c in own["children"]] == [VILLAGE]
    assert own["total"]["households"] == 2
    for region in (TOWN, OTHER_VILLAGE, DISTRICT):
        refused = await monitoring.get(f"/overview?region_code={region}", headers=village)
        assert refused.status_code == 404
        assert "households" not in refused.text
    assert (
        await monitoring.get(f"/overview?region_code={OTHER_TOWN}", headers=token_for("town", TOWN))
    ).status_code == 404
    assert (
        await monitoring.get("/overview?region_code=360702191999", headers=token_for("district", DISTRICT))
    ).status_code == 404
    assert (await monitoring.get("/overview?region_code=3607", headers=village)).status_code == 422


async def test_the_overview_runs_the_same_queries_however_many_regions(
    monitoring: httpx.AsyncClient, token_for: Tokens, connection: AsyncConnection
) -> None:
    await _arrange(monitoring, token_for)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(connection.sync_connection, "before_cursor_execute", count)
    try:
        await monitoring.get("/overview", headers=token_for("district", DISTRICT))  # 3 towns
        district = len(statements)
        statements.clear()
        await monitoring.get("/overview", headers=token_for("town", TOWN))  # 18 villages
        town = len(statements)
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", count)
    assert district == town
    # region, children, categories, key groups, warnings, one per contributor; the savepoint and its release
    assert district == 5 + len(OVERDUE_CONTRIBUTORS) + 2


async def test_a_registered_contributor_adds_its_overdue_count_per_child(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    await _arrange(monitoring, token_for)

    async def every_household_is_late(session: AsyncSession, scope: OverviewScope) -> dict[str, int]:
        items = select(Household.region_code, literal(1)).where(Household.region_code.startswith(scope.region_prefix))
        return await scope.count_per_child(session, items)

    register(OverdueContributor("测试逾期", every_household_is_late))
    try:
        overview = (await monitoring.get("/overview", headers=token_for("district", DISTRICT))).json()
    finally:
        OVERDUE_CONTRIBUTORS[:] = [c for c in OVERDUE_CONTRIBUTORS if c.kind != "测试逾期"]
    towns = _by_code(overview)
    assert towns[TOWN]["overdue"]["测试逾期"] == 3
    assert towns[OTHER_TOWN]["overdue"]["测试逾期"] == 1
    assert towns[WORK_GROUP]["overdue"]["测试逾期"] == 0
    assert overview["total"]["overdue"]["测试逾期"] == 4


async def test_overdue_assessments_are_counted(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    hid = await _household(monitoring, token_for, VILLAGE, "一般农户")
    body = {
        "household_id": hid,
        "month": "2024-05",
        "outcome": "持续关注",
        "risk_causes": ["因病"],
        "reasons": "户主住院",
        "assessed_on": "2024-05-10",
    }
    assessed = await monitoring.post("/assessments", json=body, headers=token_for("village", VILLAGE))
    assert assessed.status_code == 201, assessed.text
    overview = (await monitoring.get("/overview", headers=token_for("town", TOWN))).json()
    villages = _by_code(overview)
    # 持续关注 in May and no assessment in June: overdue on 10 June.
    assert villages[VILLAGE]["overdue"]["持续关注未按月研判"] == 1
    assert villages[OTHER_VILLAGE]["overdue"]["持续关注未按月研判"] == 0
    assert set(overview["total"]["overdue"]) >= {"持续关注未按月研判", "暂不纳入未经乡镇审核", "识别纳入超期未决"}


async def test_overdue_visits_are_counted(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens
) -> None:
    await _household(monitoring, token_for, VILLAGE, "脱贫户")
    await _household(monitoring, token_for, VILLAGE, "边缘易致贫户")
    await _household(monitoring, token_for, VILLAGE, "一般农户")  # not visited on a cadence
    await _household(monitoring, token_for, OTHER_VILLAGE, "脱贫户")
    # Never visited: counted from registration (now), so years later every lifted or subject household is late.
    monitoring_app.dependency_overrides[get_today] = lambda: date(2040, 1, 1)
    overview = (await monitoring.get("/overview", headers=token_for("town", TOWN))).json()
    villages = _by_code(overview)
    assert villages[VILLAGE]["overdue"]["走访逾期"] == 2
    assert villages[OTHER_VILLAGE]["overdue"]["走访逾期"] == 1
    district = (await monitoring.get("/overview", headers=token_for("district", DISTRICT))).json()
    assert _by_code(district)[TOWN]["overdue"]["走访逾期"] == 3
    assert district["total"]["overdue"]["回头看逾期"] == 0
