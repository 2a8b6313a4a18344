"""The running totals never drift from the entries: every rollup level, as of days before, inside and after the kept
series, equals a plain sum over the allocations and payments themselves — after backdated and same-day payments from
two fund sources, and after an approved change moves a project to another department."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from conftest import OTHER_VILLAGE, VILLAGE

from .conftest import Clock, Staff
from .helpers import allocate, approved_in_other_town, approved_project, create_source, pay

DAYS = [
    date(2025, 12, 31),
    date(2026, 3, 19),
    date(2026, 3, 20),
    date(2026, 3, 31),
    date(2026, 4, 1),
    date(2026, 5, 14),
    date(2026, 5, 15),
    date(2026, 5, 20),
    date(2026, 6, 29),
    date(2026, 6, 30),
    date(2026, 7, 1),
    date(2026, 9, 30),
    date(2026, 12, 31),
    date(2027, 6, 30),
    date(2028, 1, 3),
]
ENTRIES = text(
    """
    SELECT project_id, fund_source_id, allocated_on AS day, amount AS allocated, 0 AS paid FROM funds.allocation
    UNION ALL
    SELECT project_id, fund_source_id, paid_on, 0, amount FROM funds.payment
    """
)
PROJECTS = text("SELECT id, town_code, owner_department FROM funds.project")
Totals = dict[str, list[Any]]  # key -> [allocated, paid, projects, lagging, missed]


def _count(totals: Totals, key: str, allocated: Decimal, paid: Decimal, rates: list[Decimal | None]) -> None:
    line = totals.setdefault(key, [Decimal("0.00"), Decimal("0.00"), 0, 0, 0])
    line[0] += allocated
    line[1] += paid
    line[2] += 1
    for place, share in ((3, rates[0]), (4, rates[1])):
        line[place] += share is not None and allocated > 0 and paid < allocated * share


async def plain(connection: AsyncConnection, day: date, rates: list[Decimal | None]) -> dict[str, Totals]:
    """Every level's (allocated, paid, projects, lagging, missed) summed in Python from the entries up to the day."""
    by_project: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal("0.00"), Decimal("0.00")])
    by_source: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [Decimal("0.00"), Decimal("0.00")])
    for project_id, source_id, on, allocated, paid in (await connection.execute(ENTRIES)).all():
        if on <= day:
            for sums in (by_project[project_id], by_source[project_id, source_id]):
                sums[0] += allocated
                sums[1] += paid
    places = {pid: (town, department) for pid, town, department in (await connection.execute(PROJECTS)).all()}
    levels: dict[str, Totals] = {"town": {}, "department": {}, "district": {}, "fund_source": {}}
    for project_id, (allocated, paid) in by_project.items():
        town, department = places[project_id]
        for level, key in (("town", town), ("department", department), ("district", "all")):
            _count(levels[level], key, allocated, paid, rates)
    for (_, source_id), (allocated, paid) in by_source.items():
        _count(levels["fund_source"], str(source_id), allocated, paid, rates)
    return levels


def answered(rows: list[dict[str, Any]]) -> Totals:
    return {
        r["key"]: [Decimal(r["allocated"]), Decimal(r["paid"]), r["projects"], r["lagging"], r["missed"]]
        for r in rows
        if r["projects"]
    }


async def check_every_level(funds: httpx.AsyncClient, staff: Staff, connection: AsyncConnection) -> None:
    for day in DAYS:
        for level in ("town", "department", "fund-source"):
            response = await funds.get(f"/disbursement/by-{level}?year=2026&as_of={day}", headers=staff.district)
            assert response.status_code == 200, response.text
            body = response.json()
            passed = body["passed"]
            rates = [Decimal(body["target"]["min_rate"]), Decimal(passed["min_rate"]) if passed else None]
            expected = await plain(connection, day, rates)
            assert answered(body["rows"]) == expected[level.replace("-", "_")], (day, level)
            assert answered([body["total"]]) == expected["district"], (day, level)
        page = (await funds.get(f"/disbursement/projects?year=2026&as_of={day}", headers=staff.district)).json()
        paid = {p["project_id"]: Decimal(p["paid"]) for p in page["items"]}
        assert sum(paid.values(), Decimal("0.00")) == expected["district"].get("all", [0, Decimal("0.00")])[1], day


async def test_every_rollup_equals_a_plain_sum_of_the_entries(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    a = await approved_project(funds, staff, clock)
    b = await approved_in_other_town(funds, staff, clock)
    one, two = await create_source(funds, staff.finance), await create_source(funds, staff.finance, level="省")
    clock.today = date(2026, 7, 5)
    a_one = await allocate(funds, staff.finance, one, a, "1000.00", date(2026, 3, 20))
    a_two = await allocate(funds, staff.finance, two, a, "500.00", date(2026, 4, 1))
    b_one = await allocate(funds, staff.finance, one, b, "800.00", date(2026, 3, 20))
    # entered out of date order: later days first, then backdated ones, two on one day, two sources on one day
    for allocation, amount, on in (
        (a_one, "300.00", date(2026, 6, 30)),
        (a_one, "100.00", date(2026, 3, 31)),
        (a_two, "250.00", date(2026, 6, 30)),
        (b_one, "400.00", date(2026, 5, 15)),
        (b_one, "100.00", date(2026, 5, 15)),
        (a_one, "200.00", date(2026, 7, 1)),
    ):
        assert (await pay(funds, staff.finance, allocation, amount, on)).status_code == 201
    await check_every_level(funds, staff, connection)

    change = await funds.post(
        f"/projects/{a['id']}/changes",
        json={"after": {"owner_department": "区住建局"}, "reason": "项目移交住建部门实施"},
        headers=staff.town,
    )
    assert change.status_code == 201, change.text
    decision = f"/project-changes/{change.json()['id']}/decision"
    assert (await funds.post(decision, json={"approve": True}, headers=staff.district)).status_code == 200
    assert (await pay(funds, staff.finance, a_two, "50.00", date(2026, 5, 20))).status_code == 201
    await check_every_level(funds, staff, connection)
    after = (await funds.get("/disbursement/by-department?as_of=2026-12-31", headers=staff.district)).json()
    assert [r["key"] for r in after["rows"]] == ["区住建局"]

    # A move to another village: the village's figures (and its town's users') follow the project.
    move = await funds.post(
        f"/projects/{a['id']}/changes",
        json={"after": {"region_code": OTHER_VILLAGE}, "reason": "项目选址调整"},
        headers=staff.town,
    )
    assert move.status_code == 201, move.text
    decision = f"/project-changes/{move.json()['id']}/decision"
    assert (await funds.post(decision, json={"approve": True}, headers=staff.district)).status_code == 200
    for village, projects, paid in ((OTHER_VILLAGE, 1, "900.00"), (VILLAGE, 0, "0.00")):
        url = f"/disbursement/by-town?year=2026&as_of=2026-12-31&region_code={village}"
        total = (await funds.get(url, headers=staff.district)).json()["total"]
        assert (total["projects"], total["paid"]) == (projects, paid), village
