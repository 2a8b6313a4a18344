"""Special groups (特殊群体): short of labour, income down N years running, still at risk after N months."""

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_VILLAGE, TOWN, VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON
from monitoring_api.rules import IncomeLine, RuleSettings

from .helpers import household, member

Tokens = Callable[..., dict[str, str]]
TODAY = date(2025, 3, 1)
RULES = RuleSettings(income_lines={year: IncomeLine(threshold=Decimal("5000")) for year in range(2020, 2026)})


@pytest.fixture(autouse=True)
def configured(monitoring_app: FastAPI) -> Iterator[None]:
    settings = monitoring_app.state.ctx.settings
    default, settings.rules = settings.rules, RULES
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY
    yield
    settings.rules = default
    monitoring_app.dependency_overrides.pop(get_today, None)


def _use(app: FastAPI, **changes: Any) -> None:
    app.state.ctx.settings.rules = RULES.model_copy(update=changes)


async def _household(
    client: httpx.AsyncClient,
    token_for: Tokens,
    skills: list[str],
    region: str = VILLAGE,
    category: str = "脱贫户",
) -> int:
    members = [member(labour_skill=skill, relation="户主" if i == 0 else "配偶") for i, skill in enumerate(skills)]
    body = household(region, members, category=category)
    response = await client.post("/households", json=body, headers=token_for("district", DISTRICT))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _listed(client: httpx.AsyncClient, headers: dict[str, str], kind: str, **params: Any) -> list[int]:
    response = await client.get(f"/special-groups/{kind}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["household_id"] for item in response.json()["items"]]


async def test_households_with_no_member_able_to_work(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    short = await _household(monitoring, token_for, ["无劳动力", "丧失劳动力"])
    await _household(monitoring, token_for, ["无劳动力", "弱劳动力或半劳动力"])
    await _household(monitoring, token_for, ["普通劳动力"])
    await _household(monitoring, token_for, [])  # nobody registered: not a labour shortage, an empty record
    headers = token_for("village", VILLAGE)
    response = await monitoring.get("/special-groups/家庭劳动力不足", headers=headers)
    [item] = response.json()["items"]
    assert item["household_id"] == short
    assert item["detail"] == {"active_members": 2}


async def _incomes(client: httpx.AsyncClient, token_for: Tokens, hid: int, per_capita: dict[int, str]) -> None:
    headers = token_for("village", VILLAGE)
    for year in sorted(per_capita, reverse=True):  # newest first: the latest year decides the warning line
        body = {"wage_income": per_capita[year], "household_size": 1}
        response = await client.put(f"/households/{hid}/income/{year}", json=body, headers=headers)
        assert response.status_code == 201, response.text


async def test_income_down_two_years_running(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens
) -> None:
    falling = await _household(monitoring, token_for, ["普通劳动力"])
    await _incomes(monitoring, token_for, falling, {2022: "9000", 2023: "8000", 2024: "7000"})
    flat = await _household(monitoring, token_for, ["普通劳动力"])
    await _incomes(monitoring, token_for, flat, {2022: "9000", 2023: "8000", 2024: "8000"})
    once = await _household(monitoring, token_for, ["普通劳动力"])
    await _incomes(monitoring, token_for, once, {2022: "9000", 2023: "9500", 2024: "7000"})
    gap = await _household(monitoring, token_for, ["普通劳动力"])
    await _incomes(monitoring, token_for, gap, {2021: "9000", 2023: "8000", 2024: "7000"})
    longer = await _household(monitoring, token_for, ["普通劳动力"])
    await _incomes(monitoring, token_for, longer, {2021: "9900", 2022: "9000", 2023: "8000", 2024: "7000"})
    headers = token_for("village", VILLAGE)

    response = await monitoring.get("/special-groups/连续2年收入下降", headers=headers)
    assert [i["household_id"] for i in response.json()["items"]] == [falling, longer]
    assert response.json()["items"][0]["detail"] == {
        "from_year": 2022,
        "to_year": 2024,
        "from_per_capita_net_income": 9000.0,
        "to_per_capita_net_income": 7000.0,
    }

    _use(monitoring_app, income_decline_years=3)
    assert await _listed(monitoring, headers, "连续2年收入下降") == [longer]
    _use(monitoring_app, income_decline_years=1)
    assert await _listed(monitoring, headers, "连续2年收入下降") == [falling, once, gap, longer]


async def _subject(session: AsyncSession, hid: int, category: str, included_on: date) -> None:
    await session.execute(
        update(Household).where(Household.id == hid).values(category=category, included_on=included_on)
    )
    await session.commit()


async def test_subjects_still_at_risk_after_six_months(
    monitoring: httpx.AsyncClient,
    monitoring_app: FastAPI,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
) -> None:
    session = session_on(COMMON)
    exactly_six = await _household(monitoring, token_for, ["普通劳动力"])
    await _subject(session, exactly_six, "边缘易致贫户", date(2024, 9, 1))  # six months ago today: not more
    one_day_more = await _household(monitoring, token_for, ["普通劳动力"])
    await _subject(session, one_day_more, "脱贫不稳定户", date(2024, 8, 31))
    no_longer_subject = await _household(monitoring, token_for, ["普通劳动力"])
    await _subject(session, no_longer_subject, "脱贫户", date(2023, 1, 1))
    recent = await _household(monitoring, token_for, ["普通劳动力"])
    await _subject(session, recent, "突发严重困难户", date(2024, 12, 1))
    headers = token_for("village", VILLAGE)

    response = await monitoring.get("/special-groups/超过6个月未取消风险", headers=headers)
    [item] = response.json()["items"]
    assert item["household_id"] == one_day_more
    assert item["included_on"] == "2024-08-31"

    _use(monitoring_app, at_risk_months=3)
    assert await _listed(monitoring, headers, "超过6个月未取消风险") == [exactly_six, one_day_more]
    monitoring_app.dependency_overrides[get_today] = lambda: date(2025, 3, 2)
    assert await _listed(monitoring, headers, "超过6个月未取消风险") == [exactly_six, one_day_more, recent]


async def test_special_groups_are_scoped_filtered_and_paged(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    mine = await _household(monitoring, token_for, ["无劳动力"])
    also_mine = await _household(monitoring, token_for, ["无劳动力"], category="一般农户")
    theirs = await _household(monitoring, token_for, ["无劳动力"], region=OTHER_VILLAGE)
    kind = "家庭劳动力不足"
    assert await _listed(monitoring, token_for("village", VILLAGE), kind) == [mine, also_mine]
    assert await _listed(monitoring, token_for("village", VILLAGE), kind, region_code=OTHER_VILLAGE) == []
    town = token_for("town", TOWN)
    assert await _listed(monitoring, town, kind) == [mine, also_mine, theirs]
    assert await _listed(monitoring, town, kind, category="一般农户") == [also_mine]
    first = await monitoring.get(f"/special-groups/{kind}", params={"limit": 2}, headers=town)
    rest = await monitoring.get(
        f"/special-groups/{kind}", params={"limit": 2, "cursor": first.json()["next_cursor"]}, headers=town
    )
    assert [i["household_id"] for i in first.json()["items"] + rest.json()["items"]] == [mine, also_mine, theirs]
    assert rest.json()["next_cursor"] is None
    assert (await monitoring.get("/special-groups/贫困户", headers=town)).status_code == 422
