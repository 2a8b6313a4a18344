"""Business entities, industrial bases and 联农带农: ≥ 1 base per key-assistance village, totals against 2023."""

import itertools
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from funds_api.deps import get_rules
from funds_api.entities.models import FarmerLink
from funds_api.models import COMMON
from funds_api.rules import EntityBaseline, EntityRules, FundsRules

from .funds_support import Sessions, Tokens, count

_codes = itertools.count(1)


def credit_code() -> str:
    return f"93360702MA{next(_codes):07d}X"


def use_rules(app: FastAPI, **entity_rules: Any) -> None:
    rules = FundsRules(entities=EntityRules(**entity_rules))
    app.dependency_overrides[get_rules] = lambda: rules


async def make_entity(funds: httpx.AsyncClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    body = {
        "name": "谢岗蔬菜专业合作社",
        "kind": "农民合作社",
        "credit_code": credit_code(),
        "region_code": VILLAGE,
        "established_on": "2022-03-01",
        **fields,
    }
    response = await funds.post("/entities", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def make_base(funds: httpx.AsyncClient, headers: dict[str, str], entity_id: int, **fields: Any) -> dict:
    body = {
        "name": "蔬菜基地",
        "entity_id": entity_id,
        "region_code": VILLAGE,
        "industry": "蔬菜",
        "area_mu": "120.5",
        "established_on": "2022-04-01",
        **fields,
    }
    response = await funds.post("/industrial-bases", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def link(funds: httpx.AsyncClient, headers: dict[str, str], entity_id: int, **fields: Any) -> httpx.Response:
    body = {"year": 2024, "kind": "务工就业", "households": 10, "lifted_households": 4, "people": 12,
            "amount": "180000", **fields}  # fmt: skip
    return await funds.post(f"/entities/{entity_id}/links", json=body, headers=headers)


@pytest.fixture
def district(token_for: Tokens) -> dict[str, str]:
    return token_for("district", DISTRICT)


async def test_each_key_village_needs_a_base_operating_that_year(
    funds: httpx.AsyncClient, funds_app: FastAPI, token_for: Tokens, district: dict[str, str]
) -> None:
    use_rules(funds_app, key_villages=[VILLAGE, OTHER_VILLAGE, OTHER_TOWN_VILLAGE])
    entity = await make_entity(funds, district)
    await make_base(funds, district, entity["id"])
    closed = await make_base(funds, district, entity["id"], region_code=OTHER_VILLAGE, established_on="2021-01-01")
    closing = await funds.patch(
        f"/industrial-bases/{closed['id']}",
        json={"closed_on": "2023-12-31"},
        headers={**district, "If-Match": '"1"'},
    )
    assert closing.status_code == 200, closing.text

    overview = (await funds.get("/entities/overview", params={"year": 2024}, headers=district)).json()
    assert [(v["region_code"], v["bases"], v["meets_minimum"]) for v in overview["key_villages"]] == [
        (VILLAGE, 1, True),
        (OTHER_VILLAGE, 0, False),  # its base closed before 2024
        (OTHER_TOWN_VILLAGE, 0, False),
    ]
    assert overview["key_villages_short"] == 2
    in_2023 = (await funds.get("/entities/overview", params={"year": 2023}, headers=district)).json()
    assert [v["bases"] for v in in_2023["key_villages"]] == [1, 1, 0]

    town = (await funds.get("/entities/overview", params={"year": 2024}, headers=token_for("town", TOWN))).json()
    assert [v["region_code"] for v in town["key_villages"]] == [VILLAGE, OTHER_VILLAGE]
    use_rules(funds_app, key_villages=[VILLAGE, OTHER_VILLAGE], min_bases_per_key_village=2)
    stricter = (await funds.get("/entities/overview", params={"year": 2024}, headers=district)).json()
    assert stricter["key_villages_short"] == 2 and stricter["min_bases_per_key_village"] == 2


async def test_the_years_totals_are_compared_with_the_baseline_year(
    funds: httpx.AsyncClient, funds_app: FastAPI, district: dict[str, str]
) -> None:
    entity = await make_entity(funds, district)
    base = await make_base(funds, district, entity["id"])
    assert (await link(funds, district, entity["id"], year=2023, households=30, lifted_households=9)).status_code == 201
    assert (await link(funds, district, entity["id"], base_id=base["id"])).status_code == 201
    dividends = await link(
        funds, district, entity["id"], kind="分红", households=15, lifted_households=15, people=0, amount="20000.50"
    )
    assert dividends.status_code == 201

    overview = (await funds.get("/entities/overview", params={"year": 2024}, headers=district)).json()
    totals = overview["totals"]
    assert (totals["entities"], totals["bases"], totals["households_linked"]) == (1, 1, 25)
    assert Decimal(totals["amount_to_farmers"]) == Decimal("200000.50")
    assert overview["baseline_year"] == 2023 and overview["baseline_from"] == "台账"
    assert overview["baseline"]["households_linked"] == 30
    # 25 households linked in 2024 against 30 in 2023; 19 lifted against 9; 12 people employed in both years.
    assert overview["below_baseline"] == ["households_linked"]

    use_rules(
        funds_app,
        baseline=EntityBaseline(
            entities=2, bases=1, households_linked=20, lifted_households_linked=10, people_employed=5,
            amount_to_farmers=Decimal("200000.51"),
        ),
    )  # fmt: skip
    configured = (await funds.get("/entities/overview", params={"year": 2024}, headers=district)).json()
    assert configured["baseline_from"] == "配置"
    assert configured["below_baseline"] == ["entities", "amount_to_farmers"]


async def test_links_are_checked_and_scoped(
    funds: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, district: dict[str, str]
) -> None:
    village = token_for("village", VILLAGE)
    entity = await make_entity(funds, village)
    foreign = await make_entity(funds, district, region_code=OTHER_TOWN_VILLAGE)
    foreign_base = await make_base(funds, district, foreign["id"], region_code=OTHER_TOWN_VILLAGE)
    too_many = await link(funds, village, entity["id"], households=3, lifted_households=4)
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "body.lifted_households"
    other_base = await link(funds, district, entity["id"], base_id=foreign_base["id"])
    assert other_base.status_code == 422 and other_base.json()["errors"][0]["field"] == "body.base_id"
    assert await count(session_on(COMMON), FarmerLink) == 0

    assert (await funds.get(f"/entities/{foreign['id']}", headers=village)).status_code == 404
    assert (await link(funds, village, foreign["id"])).status_code == 404
    elsewhere = await funds.post(
        "/entities",
        json={"name": "外村企业", "kind": "龙头企业", "credit_code": credit_code(), "region_code": OTHER_VILLAGE,
              "established_on": "2020-01-01"},
        headers=village,
    )  # fmt: skip
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"][0]["field"] == "body.region_code"
    listed = (await funds.get("/entities", headers=village)).json()["items"]
    assert [e["id"] for e in listed] == [entity["id"]]
    department = (await funds.get("/entities", headers=token_for("department", DISTRICT))).json()["items"]
    assert len(department) == 2
    forbidden = await funds.post(f"/entities/{entity['id']}/links", json={}, headers=token_for("department", DISTRICT))
    assert forbidden.status_code in (403, 422)


async def test_updates_take_if_match_and_keep_the_period_sound(funds: httpx.AsyncClient, district: dict) -> None:
    entity = await make_entity(funds, district)
    path = f"/entities/{entity['id']}"
    assert (await funds.patch(path, json={"name": "新名称"}, headers=district)).status_code == 428
    early = await funds.patch(path, json={"closed_on": "2021-01-01"}, headers={**district, "If-Match": '"1"'})
    assert early.status_code == 422
    code = await funds.patch(path, json={"credit_code": credit_code()}, headers={**district, "If-Match": '"1"'})
    assert code.status_code == 422
    renamed = await funds.patch(path, json={"name": "新名称"}, headers={**district, "If-Match": '"1"'})
    assert renamed.status_code == 200 and renamed.headers["ETag"] == '"2"'
