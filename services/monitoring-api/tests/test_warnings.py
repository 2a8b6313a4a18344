"""The income and expenditure lines of the three-line warning, with non-default thresholds, recompute and resolution."""

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.models import COMMON
from monitoring_api.rules import ExpenditureLine, IncomeLine, RuleSettings
from monitoring_api.warnings.models import HouseholdWarning

from .helpers import household, member

Tokens = Callable[..., dict[str, str]]
TODAY = date(2025, 3, 1)
# Deliberately far from the defaults (7300 / 0.20 / 0.30, 0.30 / 0.50): a test passing with defaults proves nothing.
RULES = RuleSettings(
    income_lines={
        2023: IncomeLine(threshold=Decimal("9000"), yellow_margin=Decimal("0.50"), sharp_drop=Decimal("0.90")),
        2024: IncomeLine(threshold=Decimal("10000"), yellow_margin=Decimal("0.10"), sharp_drop=Decimal("0.25")),
    },
    expenditure_line=ExpenditureLine(yellow_share=Decimal("0.20"), red_share=Decimal("0.40")),
)


@pytest.fixture(autouse=True)
def configured(monitoring_app: FastAPI) -> Iterator[None]:
    settings = monitoring_app.state.ctx.settings
    default, settings.rules = settings.rules, RULES
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY
    yield
    settings.rules = default
    monitoring_app.dependency_overrides.pop(get_today, None)


@pytest.fixture
def headers(token_for: Tokens) -> dict[str, str]:
    return token_for("village", VILLAGE)


async def _household(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    body = household(VILLAGE, [member(medical_insured=True)], category="一般农户")
    response = await client.post("/households", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _income(
    client: httpx.AsyncClient, headers: dict[str, str], hid: int, year: int, wage: str, out_of_pocket: str = "0"
) -> httpx.Response:
    """One-person household, so the per-capita income equals the wage."""
    url = f"/households/{hid}/income/{year}"
    current = await client.get(url, headers=headers)
    extra = {"If-Match": current.headers["ETag"]} if current.status_code == 200 else {}
    body = {"wage_income": wage, "compliant_out_of_pocket": out_of_pocket, "household_size": 1}
    response = await client.put(url, json=body, headers={**headers, **extra})
    assert response.status_code in (200, 201), response.text
    return response


async def _open(client: httpx.AsyncClient, headers: dict[str, str], hid: int) -> list[dict[str, Any]]:
    response = await client.get(f"/households/{hid}/warnings", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _rules(warnings: list[dict[str, Any]]) -> dict[str, str]:
    return {w["rule"]: w["grade"] for w in warnings}


@pytest.mark.parametrize(
    ("wage", "expected"),
    [
        ("9999.99", {"income_below_threshold": "红色"}),  # below 10000
        ("10000.00", {"income_near_threshold": "黄色"}),  # at the threshold: not below, within the margin
        ("11000.00", {"income_near_threshold": "黄色"}),  # 10000 × (1 + 0.10), the edge of the margin
        ("11000.01", {}),
    ],
)
async def test_income_line_uses_the_years_threshold_and_margin(
    monitoring: httpx.AsyncClient, headers: dict[str, str], wage: str, expected: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2024, wage)
    warnings = await _open(monitoring, headers, hid)
    assert _rules(warnings) == expected
    for warning in warnings:
        assert warning["line"] == "收入线"
        assert warning["source"] == "系统规则"
        assert Decimal(str(warning["data"]["threshold"])) == Decimal("10000")
        assert warning["data"]["year"] == 2024


async def test_the_line_of_the_latest_year_applies(monitoring: httpx.AsyncClient, headers: dict[str, str]) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2023, "9500")  # 2023: above 9000, within its 50% margin
    assert _rules(await _open(monitoring, headers, hid)) == {"income_near_threshold": "黄色"}
    await _income(monitoring, headers, hid, 2024, "9500")  # 2024: below 10000
    assert _rules(await _open(monitoring, headers, hid)) == {"income_below_threshold": "红色"}


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ("15000.00", {"income_sharp_drop": "黄色"}),  # 20000 → 15000 is a 25% fall
        ("15000.01", {}),
    ],
)
async def test_a_sharp_drop_year_on_year_is_at_least_yellow(
    monitoring: httpx.AsyncClient, headers: dict[str, str], current: str, expected: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2023, "20000")
    await _income(monitoring, headers, hid, 2024, current)
    warnings = await _open(monitoring, headers, hid)
    assert _rules(warnings) == expected
    if expected:
        assert warnings[0]["data"]["previous_year"] == 2023
        assert Decimal(str(warnings[0]["data"]["drop_share"])) == Decimal("0.25")


async def test_a_drop_below_the_threshold_raises_both(monitoring: httpx.AsyncClient, headers: dict[str, str]) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2023, "20000")
    await _income(monitoring, headers, hid, 2024, "5000")
    assert _rules(await _open(monitoring, headers, hid)) == {
        "income_below_threshold": "红色",
        "income_sharp_drop": "黄色",
    }


@pytest.mark.parametrize(
    ("out_of_pocket", "grade"),
    [
        ("3999.99", None),  # below 20% of 20000
        ("4000.00", "黄色"),  # 20%
        ("7999.99", "黄色"),
        ("8000.00", "红色"),  # 40%
    ],
)
async def test_expenditure_line_uses_the_configured_shares(
    monitoring: httpx.AsyncClient, headers: dict[str, str], out_of_pocket: str, grade: str | None
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2024, "20000", out_of_pocket)
    warnings = [w for w in await _open(monitoring, headers, hid) if w["line"] == "支出线"]
    assert [w["grade"] for w in warnings] == ([grade] if grade else [])
    if grade:
        assert warnings[0]["rule"] == "expenditure_share"
        assert Decimal(str(warnings[0]["data"]["compliant_out_of_pocket"])) == Decimal(out_of_pocket)


async def test_spending_with_no_net_income_is_red(monitoring: httpx.AsyncClient, headers: dict[str, str]) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2024, "0", "100")
    expenditure = [w for w in await _open(monitoring, headers, hid) if w["line"] == "支出线"]
    assert [w["grade"] for w in expenditure] == ["红色"]
    assert expenditure[0]["data"]["share"] is None


async def test_a_warning_is_resolved_when_its_condition_no_longer_holds(
    monitoring: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2024, "9000")
    [red] = await _open(monitoring, headers, hid)
    await _income(monitoring, headers, hid, 2024, "30000")
    assert await _open(monitoring, headers, hid) == []
    history = await monitoring.get(f"/households/{hid}/warnings?include_resolved=true", headers=headers)
    [resolved] = history.json()["items"]
    assert resolved["id"] == red["id"]
    assert resolved["resolved_at"] is not None


async def test_a_changed_grade_resolves_the_old_warning_and_raises_a_new_one(
    monitoring: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2024, "20000", "5000")
    [yellow] = await _open(monitoring, headers, hid)
    assert yellow["grade"] == "黄色"
    await _income(monitoring, headers, hid, 2024, "20000", "9000")
    [red] = await _open(monitoring, headers, hid)
    assert red["grade"] == "红色"
    assert red["id"] != yellow["id"]
    history = await monitoring.get(f"/households/{hid}/warnings?include_resolved=true", headers=headers)
    assert [(w["grade"], w["resolved_at"] is None) for w in history.json()["items"]] == [
        ("黄色", False),
        ("红色", True),
    ]


async def test_the_data_of_an_open_warning_follows_the_income(
    monitoring: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2024, "5000")
    [before] = await _open(monitoring, headers, hid)
    await _income(monitoring, headers, hid, 2024, "6000")
    [after] = await _open(monitoring, headers, hid)
    assert after["id"] == before["id"]
    assert Decimal(str(after["data"]["per_capita_net_income"])) == Decimal("6000")


async def test_recompute_is_idempotent(
    monitoring: httpx.AsyncClient, headers: dict[str, str], session_on: Callable[..., AsyncSession]
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2023, "20000")
    await _income(monitoring, headers, hid, 2024, "5000", "4000")
    first = await _open(monitoring, headers, hid)
    assert len(first) == 3
    for _ in range(2):
        again = await monitoring.post(f"/households/{hid}/warnings/recompute", headers=headers)
        assert again.status_code == 200, again.text
        counts = again.json()["rules"]
        assert all(c == {"raised": 0, "refreshed": 0, "resolved": 0} for c in counts.values()), counts
        assert sorted(w["id"] for w in again.json()["open_warnings"]) == sorted(w["id"] for w in first)
    total = await session_on(COMMON).scalar(
        select(func.count()).select_from(HouseholdWarning).where(HouseholdWarning.household_id == hid)
    )
    assert total == 3


async def test_the_rule_is_read_on_every_request(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, headers: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2024, "10500")
    assert _rules(await _open(monitoring, headers, hid)) == {"income_near_threshold": "黄色"}
    monitoring_app.state.ctx.settings.rules = RULES.model_copy(
        update={"income_lines": {2024: IncomeLine(threshold=Decimal("10600"))}}
    )
    response = await monitoring.post(f"/households/{hid}/warnings/recompute", headers=headers)
    assert response.json()["rules"]["income_near_threshold"]["resolved"] == 1
    assert _rules(response.json()["open_warnings"]) == {"income_below_threshold": "红色"}


async def test_recompute_refuses_a_latest_year_without_a_line(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, headers: dict[str, str]
) -> None:
    hid = await _household(monitoring, headers)
    await _income(monitoring, headers, hid, 2024, "5000")
    monitoring_app.state.ctx.settings.rules = RULES.model_copy(update={"income_lines": {}})
    response = await monitoring.post(f"/households/{hid}/warnings/recompute", headers=headers)
    assert response.status_code == 422
    assert response.json()["rule"] == "income_lines"
    assert "2024" in response.json()["detail"]
    monitoring_app.state.ctx.settings.rules = RULES
    assert _rules(await _open(monitoring, headers, hid)) == {"income_below_threshold": "红色"}
