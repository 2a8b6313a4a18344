"""Allocations and payments: refused with the rule named and nothing written when they would overdraw."""

from datetime import date

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from .conftest import Clock, Staff
from .helpers import allocate, approved_project, create_source, declare, pay


async def money(connection: AsyncConnection) -> tuple[int, int, str]:
    row = (
        await connection.execute(
            text(
                "SELECT (SELECT count(*) FROM funds.allocation), (SELECT count(*) FROM funds.payment),"
                " (SELECT coalesce(sum(paid), 0)::text FROM funds.allocation)"
            )
        )
    ).one()
    return int(row[0]), int(row[1]), str(row[2])


async def test_allocate_and_pay(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    project = await approved_project(funds, staff, clock)
    source = await create_source(funds, staff.finance)
    allocation = await allocate(funds, staff.finance, source, project, "200000.00", clock.today)
    response = await pay(funds, staff.finance, allocation, "50000.50", clock.today)
    assert response.status_code == 201, response.text
    assert (response.json()["fund_source_id"], response.json()["amount"]) == (source["id"], "50000.50")
    read = (await funds.get(f"/allocations/{allocation['id']}", headers=staff.district)).json()
    assert read["paid"] == "50000.50"
    assert (await funds.get(f"/fund-sources/{source['id']}", headers=staff.district)).json()["allocated"] == "200000.00"
    mine = (await funds.get(f"/payments?project_id={project['id']}", headers=staff.village)).json()["items"]
    assert [p["voucher_number"] for p in mine] == [response.json()["voucher_number"]]
    assert (await funds.get("/payments", headers=staff.other_village)).json()["items"] == []


async def test_a_payment_over_the_allocation_is_refused(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    project = await approved_project(funds, staff, clock)
    source = await create_source(funds, staff.finance)
    allocation = await allocate(funds, staff.finance, source, project, "100.00", clock.today)
    assert (await pay(funds, staff.finance, allocation, "60.00", clock.today)).status_code == 201
    before = await money(connection)
    response = await pay(funds, staff.finance, allocation, "40.01", clock.today)
    assert (response.status_code, response.json()["rule"]) == (422, "payment-within-allocation")
    assert response.json()["params"]["left"] == "40.00"
    assert await money(connection) == before
    assert (await pay(funds, staff.finance, allocation, "40.00", clock.today)).status_code == 201


async def test_a_payment_to_a_project_not_approved_is_refused(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    approved = await approved_project(funds, staff, clock)
    pending = await declare(funds, staff.village)
    source = await create_source(funds, staff.finance)
    allocation = await allocate(funds, staff.finance, source, approved, "100.00", clock.today)
    before = await money(connection)
    response = await pay(funds, staff.finance, {**allocation, "project_id": pending["id"]}, "10.00", clock.today)
    assert (response.status_code, response.json()["rule"]) == (422, "payment-to-approved-project")
    body = {
        "fund_source_id": source["id"],
        "project_id": pending["id"],
        "amount": "1.00",
        "allocated_on": str(clock.today),
    }
    response = await funds.post("/allocations", json=body, headers=staff.finance)
    assert (response.status_code, response.json()["rule"]) == (422, "allocation-to-approved-project")
    assert await money(connection) == before


async def test_an_allocation_over_the_fund_source_is_refused(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    first = await approved_project(funds, staff, clock)
    second = await approved_project(funds, staff, clock)
    source = await create_source(funds, staff.finance, amount="500000.00")
    await allocate(funds, staff.finance, source, first, "400000.00", clock.today)
    body = {
        "fund_source_id": source["id"],
        "project_id": second["id"],
        "amount": "100000.01",
        "allocated_on": str(clock.today),
    }
    response = await funds.post("/allocations", json=body, headers=staff.finance)
    assert (response.status_code, response.json()["rule"]) == (422, "allocation-within-fund-source")
    assert await money(connection) == (1, 0, "0.00")
    url = f"/fund-sources/{source['id']}"
    response = await funds.patch(url, json={"amount": "399999.99"}, headers={**staff.finance, "If-Match": '"1"'})
    assert (response.status_code, response.json()["rule"]) == (422, "fund-source-covers-allocations")


async def test_allocations_stay_within_the_budget_and_the_year(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    project = await approved_project(funds, staff, clock, budget="1000.00")
    source = await create_source(funds, staff.finance)
    body = {
        "fund_source_id": source["id"],
        "project_id": project["id"],
        "amount": "1000.01",
        "allocated_on": str(clock.today),
    }
    response = await funds.post("/allocations", json=body, headers=staff.finance)
    assert (response.status_code, response.json()["rule"]) == (422, "allocation-within-budget")
    old = await create_source(funds, staff.finance, year=2025)
    response = await funds.post(
        "/allocations", json={**body, "fund_source_id": old["id"], "amount": "1.00"}, headers=staff.finance
    )
    assert (response.status_code, response.json()["rule"]) == (422, "allocation-same-year")
    assert await money(connection) == (0, 0, "0")


async def test_dates_and_vouchers(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    project = await approved_project(funds, staff, clock)
    source = await create_source(funds, staff.finance)
    allocation = await allocate(funds, staff.finance, source, project, "100.00", clock.today)
    response = await pay(funds, staff.finance, allocation, "1.00", date(2027, 1, 1))
    assert (response.status_code, response.json()["rule"]) == (422, "money-dates")
    body = {
        "allocation_id": allocation["id"],
        "amount": "1.00",
        "paid_on": str(clock.today),
        "voucher_number": "记-001",
    }
    url = f"/projects/{project['id']}/payments"
    assert (await funds.post(url, json=body, headers=staff.finance)).status_code == 201
    response = await funds.post(url, json=body, headers=staff.finance)
    assert (response.status_code, response.json()["rule"]) == (409, "voucher-number-once")


async def test_only_the_treasury_moves_money(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    project = await approved_project(funds, staff, clock)
    source = await create_source(funds, staff.finance)
    allocation = await allocate(funds, staff.district, source, project, "100.00", clock.today)
    for headers in (staff.town, staff.village):
        assert (await pay(funds, headers, allocation, "1.00", clock.today)).status_code == 403


async def test_a_retried_payment_is_paid_once(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    project = await approved_project(funds, staff, clock)
    source = await create_source(funds, staff.finance)
    allocation = await allocate(funds, staff.finance, source, project, "100.00", clock.today)
    body = {"allocation_id": allocation["id"], "amount": "30.00", "paid_on": str(clock.today), "voucher_number": "记-9"}
    headers = {**staff.finance, "Idempotency-Key": "pay-9"}
    for _ in range(2):
        response = await funds.post(f"/projects/{project['id']}/payments", json=body, headers=headers)
        assert response.status_code == 201
    assert await money(connection) == (1, 1, "30.00")
