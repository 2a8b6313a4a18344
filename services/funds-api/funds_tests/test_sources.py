"""Fund sources (衔接资金): recorded by the district office or the finance department, exact amounts, scoped."""

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from .conftest import Staff
from .helpers import create_source, source_body


async def test_a_fund_source_is_recorded_and_read(funds: httpx.AsyncClient, staff: Staff) -> None:
    source = await create_source(funds, staff.finance, amount="1234567.89", level="省")
    assert (source["level"], source["amount"], source["allocated"], source["region_code"]) == (
        "省",
        "1234567.89",
        "0.00",
        "360702000000",
    )
    read = await funds.get(f"/fund-sources/{source['id']}", headers=staff.district)
    assert read.headers["ETag"] == '"1"'
    listed = (await funds.get("/fund-sources?year=2026&level=省", headers=staff.district)).json()["items"]
    assert [s["id"] for s in listed] == [source["id"]]
    assert (await funds.get("/fund-sources?level=中央", headers=staff.district)).json()["items"] == []


async def test_amounts_are_exact_and_positive(
    funds: httpx.AsyncClient, staff: Staff, connection: AsyncConnection
) -> None:
    for amount in ("100.001", "0", "-5", "1e20"):
        response = await funds.post("/fund-sources", json=source_body(amount=amount), headers=staff.district)
        assert response.status_code == 422, amount
        assert response.json()["errors"][0]["field"] == "body.amount"
    response = await funds.post("/fund-sources", json=source_body(level="县"), headers=staff.district)
    assert response.status_code == 422
    assert await connection.scalar(text("SELECT count(*) FROM funds.fund_source")) == 0


async def test_only_the_district_and_departments_record_money(funds: httpx.AsyncClient, staff: Staff) -> None:
    for headers in (staff.town, staff.village):
        assert (await funds.post("/fund-sources", json=source_body(), headers=headers)).status_code == 403
    source = await create_source(funds, staff.district)
    # Sources are held by the district: a town or village user does not see them.
    assert (await funds.get(f"/fund-sources/{source['id']}", headers=staff.town)).status_code == 404
    assert (await funds.get("/fund-sources", headers=staff.village)).json()["items"] == []


async def test_a_document_number_is_recorded_once(funds: httpx.AsyncClient, staff: Staff) -> None:
    source = await create_source(funds, staff.district)
    response = await funds.post(
        "/fund-sources", json=source_body(document_number=source["document_number"]), headers=staff.district
    )
    assert response.status_code == 409


async def test_a_correction_needs_if_match_and_leaves_level_and_year(funds: httpx.AsyncClient, staff: Staff) -> None:
    source = await create_source(funds, staff.district)
    url = f"/fund-sources/{source['id']}"
    assert (await funds.patch(url, json={"amount": "2000000.00"}, headers=staff.district)).status_code == 428
    response = await funds.patch(url, json={"level": "省"}, headers={**staff.district, "If-Match": '"1"'})
    assert response.status_code == 422
    response = await funds.patch(url, json={"amount": "2000000.00"}, headers={**staff.district, "If-Match": '"1"'})
    assert (response.status_code, response.json()["amount"], response.headers["ETag"]) == (200, "2000000.00", '"2"')
