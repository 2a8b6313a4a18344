"""The overview's overdue counts contributed by visits, measures and look-backs, per child region."""

from datetime import date

import httpx
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.auth.principal import Principal, Role
from monitoring_api.models import COMMON
from monitoring_api.overview.contributors import (
    OverviewScope,
    count_flagged_measures,
    count_overdue_lookbacks,
    count_overdue_visits,
)
from monitoring_api.rules import RuleSettings

from .test_measure_helpers import Sessions, Tokens, make_household, set_today

TODAY = date(2024, 9, 1)


def _scope(role: Role, region_code: str, prefix: str, child_digits: int) -> OverviewScope:
    principal = Principal(subject="user:1", role=role, region_code=region_code)
    return OverviewScope(principal, region_code, prefix, child_digits, TODAY, RuleSettings())


async def test_overdue_items_are_counted_per_child_region(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 3, 1))
    session = session_on(COMMON)
    district = token_for("district", DISTRICT)
    homes = [
        await make_household(monitoring, token_for, session, region=region, included_on=date(2024, 1, 15))
        for region in (VILLAGE, VILLAGE, OTHER_VILLAGE, OTHER_TOWN_VILLAGE)
    ]
    for household_id in homes:
        visit = {"visited_on": "2024-03-01", "cadre": "王干部", "findings": "正常"}
        assert (await monitoring.post(f"/households/{household_id}/visits", json=visit, headers=district)).is_success
        lookback = {"due_on": "2024-06-01", "reason": "回头看"}
        scheduled = await monitoring.post(f"/households/{household_id}/lookbacks", json=lookback, headers=district)
        assert scheduled.status_code == 201
    development = {"category": "就业帮扶", "owner": "王干部", "start_on": "2024-02-01", "status": "实施中"}
    response = await monitoring.post(f"/households/{homes[0]}/measures", json=development, headers=district)
    assert response.status_code == 201

    by_town = _scope(Role.district, DISTRICT, "360702", 9)
    towns = {TOWN: 3, "360702192000": 1}
    assert await count_overdue_visits(session, by_town) == towns
    assert await count_overdue_lookbacks(session, by_town) == towns
    assert await count_flagged_measures(session, by_town) == {TOWN: 2, "360702192000": 1}

    by_village = _scope(Role.town, TOWN, "360702191", 12)
    assert await count_overdue_visits(session, by_village) == {VILLAGE: 2, OTHER_VILLAGE: 1}
    assert await count_flagged_measures(session, by_village) == {VILLAGE: 1, OTHER_VILLAGE: 1}
    village_user = _scope(Role.village, VILLAGE, "360702191", 12)  # a wider prefix is still cut to the caller's scope
    assert await count_overdue_lookbacks(session, village_user) == {VILLAGE: 2}

    set_today(monitoring_app, TODAY)
    overview = (await monitoring.get("/overview", headers=district)).json()
    assert {kind: overview["total"]["overdue"][kind] for kind in ("走访逾期", "开发式帮扶缺失", "回头看逾期")} == {
        "走访逾期": 4,
        "开发式帮扶缺失": 3,
        "回头看逾期": 4,
    }
