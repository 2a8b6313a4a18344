"""Two payments racing for the last of an allocation, each on its own connection with real commits: one is paid,
the other is refused with the rule named, and the allocation is never overdrawn."""

import asyncio

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from .conftest import Clock, Staff
from .helpers import allocate, approved_project, create_source, pay, until_waiting_on_locks


async def test_two_payments_race_for_the_last_of_an_allocation(
    live: tuple[httpx.AsyncClient, Clock], engine: AsyncEngine, staff: Staff
) -> None:
    funds, clock = live
    project = await approved_project(funds, staff, clock)
    source = await create_source(funds, staff.finance)
    allocation = await allocate(funds, staff.finance, source, project, "100.00", clock.today)
    assert (await pay(funds, staff.finance, allocation, "40.00", clock.today)).status_code == 201

    # Hold the allocation's row from a third connection so that both requests are inside their transactions,
    # queued on the row, before either may go on: a real race, not one request after the other.
    async with engine.connect() as holder:
        await holder.execute(text("SELECT 1 FROM funds.allocation WHERE id = :id FOR UPDATE"), {"id": allocation["id"]})
        racers = asyncio.gather(
            pay(funds, staff.finance, allocation, "60.00", clock.today),
            pay(funds, staff.finance, allocation, "60.00", clock.today),
        )
        await until_waiting_on_locks(engine)
        await holder.rollback()
        responses = await racers

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 422], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 422)
    assert refused.json()["rule"] == "payment-within-allocation"
    async with engine.connect() as conn:
        paid, payments, ledger = (
            await conn.execute(
                text(
                    "SELECT a.paid, (SELECT count(*) FROM funds.payment p WHERE p.allocation_id = a.id),"
                    " (SELECT sum(amount) FROM funds.payment p WHERE p.allocation_id = a.id)"
                    " FROM funds.allocation a WHERE a.id = :id"
                ),
                {"id": allocation["id"]},
            )
        ).one()
    assert (str(paid), payments, str(ledger)) == ("100.00", 2, "100.00")
