"""The eight key groups (八类重点人群): membership derived from the data, staff marks where it cannot show it."""

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import OTHER_VILLAGE, VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.models import COMMON
from monitoring_api.rules import IncomeLine, RuleSettings
from monitoring_api.warnings.models import GroupMark

from .helpers import household, member

Tokens = Callable[..., dict[str, str]]
RULES = RuleSettings(
    income_lines={2023: IncomeLine(threshold=Decimal("8000")), 2024: IncomeLine(threshold=Decimal("8000"))}
)


@pytest.fixture(autouse=True)
def configured(monitoring_app: FastAPI) -> Iterator[None]:
    settings = monitoring_app.state.ctx.settings
    default, settings.rules = settings.rules, RULES
    monitoring_app.dependency_overrides[get_today] = lambda: date(2025, 3, 1)
    yield
    settings.rules = default
    monitoring_app.dependency_overrides.pop(get_today, None)


@pytest.fixture
def headers(token_for: Tokens) -> dict[str, str]:
    return token_for("village", VILLAGE)


async def _household(
    client: httpx.AsyncClient, headers: dict[str, str], category: str = "一般农户", **facts: Any
) -> int:
    person = member(**{"medical_insured": True, **facts})
    response = await client.post("/households", json=household(VILLAGE, [person], category=category), headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _groups(client: httpx.AsyncClient, headers: dict[str, str], hid: int) -> dict[str, dict[str, Any]]:
    await client.post(f"/households/{hid}/warnings/recompute", headers=headers)
    response = await client.get(f"/households/{hid}/groups", headers=headers)
    assert response.status_code == 200, response.text
    return {f"{g['key_group']}/{g['basis']}": g for g in response.json()}


async def _income(client: httpx.AsyncClient, headers: dict[str, str], hid: int, year: int, **body: str) -> None:
    response = await client.put(f"/households/{hid}/income/{year}", json={**body, "household_size": 1}, headers=headers)
    assert response.status_code == 201, response.text


async def test_an_ordinary_household_with_nothing_wrong_is_in_no_group(
    monitoring: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2024, wage_income="20000")
    assert await _groups(monitoring, headers, hid) == {}


@pytest.mark.parametrize("category", ["脱贫户", "脱贫不稳定户"])
async def test_lifted_households_from_their_category(
    monitoring: httpx.AsyncClient, headers: dict[str, str], category: str
) -> None:
    hid = await _household(monitoring, headers, category=category)
    groups = await _groups(monitoring, headers, hid)
    assert list(groups) == ["脱贫户/数据推导"]
    assert category in groups["脱贫户/数据推导"]["reason"]


async def test_low_income_below_the_configured_threshold(
    monitoring: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2024, wage_income="7999.99")
    groups = await _groups(monitoring, headers, hid)
    assert "低收入农户/数据推导" in groups
    assert "8000" in groups["低收入农户/数据推导"]["reason"]
    above = await _household(monitoring, headers)
    await _income(monitoring, headers, above, 2024, wage_income="8000")
    assert "低收入农户/数据推导" not in await _groups(monitoring, headers, above)


@pytest.mark.parametrize("flag", ["dibao", "tekun"])
async def test_dibao_and_tekun_from_member_flags(
    monitoring: httpx.AsyncClient, headers: dict[str, str], flag: str
) -> None:
    hid = await _household(monitoring, headers, **{flag: True})
    assert list(await _groups(monitoring, headers, hid)) == ["农村低保对象和分散供养特困人员/数据推导"]


async def test_guarantee_problems_from_open_guarantee_warnings(
    monitoring: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers, medical_insured=False)
    groups = await _groups(monitoring, headers, hid)
    assert list(groups) == ["三保障和饮水安全问题户/数据推导"]
    assert "medical_insurance_missing" in groups["三保障和饮水安全问题户/数据推导"]["reason"]


@pytest.mark.parametrize(
    ("health", "skill", "member_of"),
    [
        ("患有大病", "无劳动力", True),
        ("残疾", "丧失劳动力", True),
        ("患有大病", "普通劳动力", False),
        ("健康", "无劳动力", False),
    ],
)
async def test_special_hardship_members(
    monitoring: httpx.AsyncClient, headers: dict[str, str], health: str, skill: str, member_of: bool
) -> None:
    hid = await _household(monitoring, headers, health=health, labour_skill=skill)
    assert ("特殊困难人员/数据推导" in await _groups(monitoring, headers, hid)) is member_of


async def test_rigid_spending_or_a_sharp_drop(monitoring: httpx.AsyncClient, headers: dict[str, str]) -> None:
    spending = await _household(monitoring, headers)
    await _income(monitoring, headers, spending, 2024, wage_income="20000", compliant_out_of_pocket="6000")
    groups = await _groups(monitoring, headers, spending)
    assert "expenditure_share" in groups["刚性支出较大或收入大幅缩减户/数据推导"]["reason"]
    dropped = await _household(monitoring, headers)
    await _income(monitoring, headers, dropped, 2023, wage_income="30000")
    await _income(monitoring, headers, dropped, 2024, wage_income="20000")
    groups = await _groups(monitoring, headers, dropped)
    assert "income_sharp_drop" in groups["刚性支出较大或收入大幅缩减户/数据推导"]["reason"]


async def test_staff_mark_a_group_the_data_cannot_show(
    monitoring: httpx.AsyncClient, headers: dict[str, str], session_on: Callable[..., AsyncSession]
) -> None:
    hid = await _household(monitoring, headers)
    body = {"key_group": "就业不稳定户", "reason": "外出务工合同到期，未续签"}
    marked = await monitoring.post(f"/households/{hid}/groups", json=body, headers=headers)
    assert marked.status_code == 201, marked.text
    mark = marked.json()
    assert (mark["key_group"], mark["marked_by"], mark["ended_at"]) == ("就业不稳定户", "user:1", None)
    groups = await _groups(monitoring, headers, hid)
    assert groups["就业不稳定户/人工标记"]["reason"] == body["reason"]
    assert groups["就业不稳定户/人工标记"]["mark_id"] == mark["id"]

    again = await monitoring.post(f"/households/{hid}/groups", json=body, headers=headers)
    assert again.status_code == 409
    count = select(func.count()).select_from(GroupMark)
    assert await session_on(COMMON).scalar(count) == 1

    ended = await monitoring.delete(f"/households/{hid}/groups/{mark['id']}", headers=headers)
    assert ended.status_code == 204
    assert await _groups(monitoring, headers, hid) == {}
    assert (await monitoring.delete(f"/households/{hid}/groups/{mark['id']}", headers=headers)).status_code == 409
    assert (await monitoring.post(f"/households/{hid}/groups", json=body, headers=headers)).status_code == 201


@pytest.mark.parametrize("group", ["脱贫户", "农村低保对象和分散供养特困人员"])
async def test_groups_the_data_decides_cannot_be_marked(
    monitoring: httpx.AsyncClient, headers: dict[str, str], session_on: Callable[..., AsyncSession], group: str
) -> None:
    hid = await _household(monitoring, headers)
    response = await monitoring.post(
        f"/households/{hid}/groups", json={"key_group": group, "reason": "村里认为是"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["rule"] == "key_group_derived_from_data"
    assert await session_on(COMMON).scalar(select(func.count()).select_from(GroupMark)) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"key_group": "其他人群", "reason": "原因说明"},
        {"key_group": "就业不稳定户", "reason": ""},
        {"key_group": "就业不稳定户"},
    ],
)
async def test_a_mark_needs_a_known_group_and_a_reason(
    monitoring: httpx.AsyncClient, headers: dict[str, str], body: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers)
    response = await monitoring.post(f"/households/{hid}/groups", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("body.")


async def test_groups_are_scoped(monitoring: httpx.AsyncClient, token_for: Tokens, headers: dict[str, str]) -> None:
    other = token_for("village", OTHER_VILLAGE)
    person = member(medical_insured=True)
    created = await monitoring.post("/households", json=household(OTHER_VILLAGE, [person]), headers=other)
    theirs = created.json()["id"]
    assert (await monitoring.get(f"/households/{theirs}/groups", headers=headers)).status_code == 404
    body = {"key_group": "就业不稳定户", "reason": "外出务工不稳定"}
    assert (await monitoring.post(f"/households/{theirs}/groups", json=body, headers=headers)).status_code == 404
    mark = await monitoring.post(f"/households/{theirs}/groups", json=body, headers=other)
    assert mark.status_code == 201
    assert (
        await monitoring.delete(f"/households/{theirs}/groups/{mark.json()['id']}", headers=headers)
    ).status_code == 404
    assert (await monitoring.get(f"/households/{theirs}/groups", headers=other)).status_code == 200
