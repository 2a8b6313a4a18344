"""The running totals give the same figure as adding every entry up to the day, on any day: before the project year,
across month ends, on and around entry days, and past the kept years."""

from datetime import date, timedelta
from decimal import Decimal

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from funds_api.disbursement.ledger import BY_PROJECT, BY_SOURCE

from .conftest import Clock, Staff
from .helpers import allocate, approved_project, create_source, pay


async def figure(funds: httpx.AsyncClient, staff: Staff, day: date) -> tuple[str, str]:
    page = (await funds.get(f"/disbursement/projects?year=2027&as_of={day}", headers=staff.district)).json()
    item = page["items"][0]
    return item["allocated"], item["paid"]


async def test_figures_on_every_kind_of_day(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    clock.today = date(2026, 8, 1)
    project = await approved_project(funds, staff, clock, year=2027)  # approved on 8 August 2026
    source = await create_source(funds, staff.finance, year=2027)
    clock.today = date(2029, 6, 1)
    allocation = await allocate(funds, staff.finance, source, project, "1000.00", date(2026, 9, 1))
    entries = [
        (date(2026, 12, 31), "100.00"),
        (date(2027, 1, 31), "10.00"),
        (date(2027, 2, 1), "20.00"),
        (date(2027, 3, 31), "30.00"),
        (date(2028, 12, 1), "40.00"),
        (date(2029, 2, 3), "50.00"),
    ]
    for day, amount in entries:
        assert (await pay(funds, staff.finance, allocation, amount, day)).status_code == 201
    days = [date(2026, 8, 31), date(2026, 9, 1)] + [d + timedelta(days=k) for d, _ in entries for k in (-1, 0, 1)]
    for day in days:
        paid = sum((Decimal(a) for d, a in entries if d <= day), Decimal("0.00"))
        allocated = "1000.00" if day >= date(2026, 9, 1) else "0.00"
        if day < date(2026, 9, 1):
            page = (await funds.get(f"/disbursement/projects?year=2027&as_of={day}", headers=staff.district)).json()
            assert page["items"][0]["allocated"] == "0.00"
            continue
        assert await figure(funds, staff, day) == (allocated, str(paid)), day


async def test_the_rebuild_gives_the_series_kept_with_each_entry(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    project = await approved_project(funds, staff, clock)
    first, second = await create_source(funds, staff.finance), await create_source(funds, staff.finance)
    clock.today = date(2026, 12, 31)
    one = await allocate(funds, staff.finance, first, project, "900.00", date(2026, 3, 20))
    two = await allocate(funds, staff.finance, second, project, "500.00", date(2026, 5, 5))
    entries = [
        (one, date(2026, 3, 31), "100.00"),
        (one, date(2026, 4, 1), "200.00"),
        (two, date(2026, 5, 5), "50.00"),
        (two, date(2026, 11, 30), "60.00"),
        (one, date(2026, 11, 30), "300.00"),
    ]
    for allocation, day, amount in entries:
        assert (await pay(funds, staff.finance, allocation, amount, day)).status_code == 201
    # every month start, and the entry days that are not one: 3-20, 3-31, 11-30 and 5-5, 11-30 per fund source;
    # 3-20, 3-31, 5-5, 11-30 for the project
    for series, spans in ((BY_SOURCE, 24 + 3 + 24 + 2), (BY_PROJECT, 24 + 4)):
        query = text(f"SELECT * FROM {series.table} ORDER BY {series.key_list}, valid_from")
        kept = (await connection.execute(query)).all()
        assert len(kept) == spans
        await connection.execute(text(f"DELETE FROM {series.table}"))
        await connection.execute(series.rebuild())
        assert (await connection.execute(query)).all() == kept
