"""Yearly income over HTTP: server-computed net and per-capita income, create-or-replace with If-Match, refusals."""

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import OTHER_VILLAGE, VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.income.models import HouseholdIncome
from monitoring_api.models import COMMON

from .helpers import household, member

Tokens = Callable[..., dict[str, str]]
TODAY = date(2025, 3, 1)


@pytest.fixture(autouse=True)
def clock(monitoring_app: FastAPI) -> Iterator[None]:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY
    yield
    monitoring_app.dependency_overrides.pop(get_today, None)


async def _household(client: httpx.AsyncClient, headers: dict[str, str], region: str = VILLAGE, size: int = 3) -> int:
    members = [member(medical_insured=True, relation="户主" if i == 0 else "之子") for i in range(size)]
    response = await client.post("/households", json=household(region, members), headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _rows(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(HouseholdIncome)) or 0)


INCOME = {
    "wage_income": "20000.00",
    "business_income": "10000",
    "property_income": 1000,
    "transfer_income": "3000.00",
    "business_expense": "4000.50",
    "compliant_out_of_pocket": "1000.00",
}


async def test_net_and_per_capita_income_are_computed_from_active_members(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers, size=3)
    response = await monitoring.put(f"/households/{hid}/income/2024", json=INCOME, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/households/{hid}/income/2024"
    body = response.json()
    assert Decimal(body["net_income"]) == Decimal("29999.50")
    assert body["household_size"] == 3
    assert Decimal(body["per_capita_net_income"]) == Decimal("9999.83")  # 29999.50 / 3, rounded half up


async def test_explicit_household_size_overrides_the_member_count(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers, size=3)
    body = {**INCOME, "household_size": 2}
    response = await monitoring.put(f"/households/{hid}/income/2024", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["household_size"] == 2
    assert Decimal(response.json()["per_capita_net_income"]) == Decimal("14999.75")


async def test_a_business_loss_gives_a_negative_net_income(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers, size=2)
    body = {"business_income": "1000", "business_expense": "3000.01"}
    response = await monitoring.put(f"/households/{hid}/income/2024", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert Decimal(response.json()["net_income"]) == Decimal("-2000.01")
    assert Decimal(response.json()["per_capita_net_income"]) == Decimal("-1000.01")


@pytest.mark.parametrize("field", ["net_income", "per_capita_net_income", "region_code"])
async def test_computed_fields_cannot_be_sent(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], field: str
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers)
    response = await monitoring.put(f"/households/{hid}/income/2024", json={**INCOME, field: "1"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == f"body.{field}"
    assert await _rows(session_on(COMMON)) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"wage_income": "-0.01"}, "body.wage_income"),
        ({"transfer_income": "12.345"}, "body.transfer_income"),
        ({"compliant_out_of_pocket": "NaN"}, "body.compliant_out_of_pocket"),
        ({"business_expense": "10000000000.00"}, "body.business_expense"),
        ({"household_size": 0}, "body.household_size"),
    ],
)
async def test_amounts_are_non_negative_with_two_decimals(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
    body: dict[str, object],
    field: str,
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers)
    response = await monitoring.put(f"/households/{hid}/income/2024", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert await _rows(session_on(COMMON)) == 0


@pytest.mark.parametrize("year", ["2012", "2101", "abc"])
async def test_the_year_must_be_sane(monitoring: httpx.AsyncClient, token_for: Tokens, year: str) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers)
    response = await monitoring.put(f"/households/{hid}/income/{year}", json=INCOME, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.year"


async def test_a_year_not_yet_begun_is_refused(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers)
    response = await monitoring.put(f"/households/{hid}/income/2026", json=INCOME, headers=headers)
    assert response.status_code == 422
    assert response.json()["rule"] == "income_year_not_future"
    assert await _rows(session_on(COMMON)) == 0


async def test_a_household_without_members_needs_an_explicit_size(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    created = await monitoring.post("/households", json=household(VILLAGE, []), headers=headers)
    hid = created.json()["id"]
    refused = await monitoring.put(f"/households/{hid}/income/2024", json=INCOME, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["rule"] == "household_size"
    assert await _rows(session_on(COMMON)) == 0
    accepted = await monitoring.put(
        f"/households/{hid}/income/2024", json={**INCOME, "household_size": 1}, headers=headers
    )
    assert accepted.status_code == 201


async def test_a_year_without_a_monitoring_threshold_is_refused_naming_the_rule(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers)
    response = await monitoring.put(f"/households/{hid}/income/2023", json=INCOME, headers=headers)
    assert response.status_code == 422
    problem = response.json()
    assert problem["rule"] == "income_lines"
    assert "income_lines[2023]" in problem["detail"]
    assert await _rows(session_on(COMMON)) == 0


async def test_an_older_year_is_accepted_once_a_configured_year_is_the_latest(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers)
    assert (await monitoring.put(f"/households/{hid}/income/2024", json=INCOME, headers=headers)).status_code == 201
    older = await monitoring.put(f"/households/{hid}/income/2023", json=INCOME, headers=headers)
    assert older.status_code == 201, older.text
    listing = await monitoring.get(f"/households/{hid}/income", headers=headers)
    assert [r["year"] for r in listing.json()] == [2023, 2024]


async def test_replacing_a_year_takes_if_match(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers, size=1)
    url = f"/households/{hid}/income/2024"
    assert (await monitoring.put(url, json=INCOME, headers=headers)).status_code == 201
    changed = {**INCOME, "wage_income": "50000"}

    missing = await monitoring.put(url, json=changed, headers=headers)
    assert missing.status_code == 428
    stale = await monitoring.put(url, json=changed, headers={**headers, "If-Match": '"7"'})
    assert stale.status_code == 412
    unchanged = await monitoring.get(url, headers=headers)
    assert Decimal(unchanged.json()["wage_income"]) == Decimal("20000")
    assert unchanged.headers["ETag"] == '"1"'

    replaced = await monitoring.put(url, json=changed, headers={**headers, "If-Match": '"1"'})
    assert replaced.status_code == 200, replaced.text
    assert replaced.headers["ETag"] == '"2"'
    assert Decimal(replaced.json()["net_income"]) == Decimal("59999.50")


async def test_if_match_on_a_year_not_recorded_fails(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers)
    response = await monitoring.put(
        f"/households/{hid}/income/2024", json=INCOME, headers={**headers, "If-Match": '"1"'}
    )
    assert response.status_code == 412
    assert await _rows(session_on(COMMON)) == 0


async def test_village_user_cannot_see_or_write_another_villages_income(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    other_headers = token_for("village", OTHER_VILLAGE)
    hid = await _household(monitoring, other_headers, region=OTHER_VILLAGE)
    assert (
        await monitoring.put(f"/households/{hid}/income/2024", json=INCOME, headers=other_headers)
    ).status_code == 201

    mine = token_for("village", VILLAGE)
    assert (await monitoring.get(f"/households/{hid}/income", headers=mine)).status_code == 404
    read = await monitoring.get(f"/households/{hid}/income/2024", headers=mine)
    assert read.status_code == 404
    assert "20000" not in read.text
    write = await monitoring.put(f"/households/{hid}/income/2024", json=INCOME, headers={**mine, "If-Match": '"1"'})
    assert write.status_code == 404
    assert await _rows(session_on(COMMON)) == 1
    town = token_for("town", "360702191000")
    assert (await monitoring.get(f"/households/{hid}/income", headers=town)).status_code == 200


async def test_a_cadre_cannot_record_income(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    hid = await _household(monitoring, token_for("village", VILLAGE))
    response = await monitoring.put(f"/households/{hid}/income/2024", json=INCOME, headers=token_for("cadre", VILLAGE))
    assert response.status_code == 403
