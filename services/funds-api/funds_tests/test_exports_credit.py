"""funds-api's lists of loans, purchases, entities and bases download as XLSX: read back with python-calamine, each
holds the JSON list's rows, borrowers' ID numbers masked as the list masks them."""

from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from conftest import DISTRICT, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.testing.export_check import assert_export_matches, workbook
from funds_api.app import ROUTERS

from .funds_support import Sessions, Tokens, linked_funds, register_person
from .test_credit_loans import loan_body
from .test_entities import link, make_base, make_entity
from .test_purchases import purchase

Linked = tuple[httpx.AsyncClient, FastAPI]


@pytest.fixture
async def linked(service_settings, connection: AsyncConnection, monitoring_app: FastAPI, session_on: Sessions):  # type: ignore[no-untyped-def]
    async with linked_funds(service_settings, connection, monitoring_app, session_on, today=date(2024, 6, 1)) as pair:
        yield pair


@pytest.fixture
async def credit(linked: Linked, monitoring: httpx.AsyncClient, token_for: Tokens) -> list[str]:
    """Three borrowers in two villages of one town with a loan each (first instalment due 15 June 2024), purchases
    from them and an entity with a base and a 联农带农 record in each village; the borrowers' ID numbers."""
    funds, _ = linked
    numbers = []
    for n, region in enumerate((VILLAGE, OTHER_VILLAGE, VILLAGE)):
        born = date(1980 + n, 5, 2)
        household = await register_person(monitoring, token_for, birth=born, region=region, name=f"借款人{n}")
        number = household["members"][0]["id_number"]
        numbers.append(number)
        staff = token_for("village", region)
        response = await funds.post("/loans", json=loan_body(number), headers=staff)
        assert response.status_code == 201, response.text
        body = purchase(seller_id_number=number, amount=f"{1000 + n}.25")
        assert (await funds.post("/purchases", json=body, headers=token_for("district", DISTRICT))).status_code == 201
    for region in (VILLAGE, OTHER_VILLAGE):
        staff = token_for("village", region)
        entity = await make_entity(funds, staff, region_code=region)
        await make_base(funds, staff, entity["id"], region_code=region)
        assert (await link(funds, staff, entity["id"])).status_code == 201
    return numbers


LISTS: list[tuple[str, dict[str, Any]]] = [
    ("/loans", {}),
    ("/loans", {"status": "在贷"}),
    ("/loans/due", {}),
    ("/purchases", {"year": 2024}),
    ("/entities", {}),
    ("/farmer-links", {"year": 2024}),
    ("/industrial-bases", {}),
]


@pytest.mark.parametrize(("path", "params"), LISTS, ids=[f"{p}{q}" for p, q in LISTS])
async def test_an_export_holds_the_rows_of_the_json_list(
    linked: Linked, token_for: Tokens, credit: list[str], path: str, params: dict[str, Any]
) -> None:
    funds, _ = linked
    for headers in (token_for("village", VILLAGE), token_for("town", TOWN)):
        await assert_export_matches(funds, path, headers, ROUTERS, params)


async def test_the_loan_export_masks_the_borrowers_id_number_and_keeps_its_own_village(
    linked: Linked, token_for: Tokens, credit: list[str]
) -> None:
    funds, _ = linked
    rows = (await workbook(funds, "/loans", token_for("village", VILLAGE), {})).get_sheet_by_index(0).to_python()
    header, data = rows[0], rows[1:]
    numbers = [r[header.index("借款人身份证号")] for r in data]
    assert sorted(numbers) == sorted(n[:6] + "*" * 8 + n[-4:] for n in (credit[0], credit[2]))
    assert {r[header.index("区划代码")] for r in data} == {VILLAGE}
    assert {r[header.index("贷款用途")] for r in data} == {"养殖业"}
    assert {r[header.index("金额")] for r in data} == {50000.0}
    due = (await workbook(funds, "/loans/due", token_for("town", TOWN), {})).get_sheet_by_index(0).to_python()
    assert len(due) - 1 == 3 and {r[due[0].index("应还日期")] for r in due[1:]} == {date(2024, 6, 15)}


async def test_an_empty_list_exports_its_headings_only(linked: Linked, token_for: Tokens, credit: list[str]) -> None:
    funds, _ = linked
    params = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
    rows = (await workbook(funds, "/loans/subsidy", token_for("town", TOWN), params)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["贷款编号", "区划代码", "借款人"] and rows[1:] == []


async def test_an_export_is_refused_to_whom_the_list_is_refused(linked: Linked, token_for: Tokens) -> None:
    funds, _ = linked
    department = token_for("department", DISTRICT)
    assert (await funds.get("/loans", params={"format": "xlsx"}, headers=department)).status_code == 403
    assert (await funds.get("/loans", params={"format": "xlsx"})).status_code == 401
