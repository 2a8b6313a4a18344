"""Builders of funds test data through the API: fund sources, projects taken through the library workflow."""

import asyncio
import itertools
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from conftest import OTHER_TOWN_VILLAGE, VILLAGE

_serial = itertools.count(1)


def source_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "year": 2026,
        "level": "中央",
        "document_number": f"赣财农指〔2026〕{next(_serial)}号",
        "name": "2026年中央衔接推进乡村振兴补助资金",
        "amount": "1000000.00",
    }
    body.update(overrides)
    return body


def project_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "year": 2026,
        "name": f"谢岗村蔬菜基地建设项目{next(_serial)}",
        "type": "产业",
        "region_code": VILLAGE,
        "owner_department": "区农办",
        "budget": "500000.00",
        "performance_targets": [{"kind": "效益指标", "indicator": "带动脱贫户增收户数", "target": "≥ 30 户"}],
    }
    body.update(overrides)
    return body


async def create_source(funds: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = await funds.post("/fund-sources", json=source_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def declare(funds: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = await funds.post("/projects", json=project_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def approved_project(funds: httpx.AsyncClient, staff: Any, clock: Any, **overrides: Any) -> dict[str, Any]:
    """A project declared by its village, agreed with a notice by the town, approved by the district a week later
    (the clock is left on the day of approval)."""
    village = overrides.pop("village_headers", staff.village)
    town = overrides.pop("town_headers", staff.town)
    project = await declare(funds, village, **overrides)
    start = clock.today
    review = {"agree": True, "notice_start": str(start), "notice_end": str(start + timedelta(days=6))}
    response = await funds.post(f"/projects/{project['id']}/town-review", json=review, headers=town)
    assert response.status_code == 200, response.text
    clock.today = start + timedelta(days=7)
    response = await funds.post(
        f"/projects/{project['id']}/district-approval", json={"approve": True}, headers=staff.district
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def approved_in_other_town(funds: httpx.AsyncClient, staff: Any, clock: Any, **overrides: Any) -> dict[str, Any]:
    """approved_project() in 曾坝村 of 潭东镇, owned by 区住建局 unless `overrides` say otherwise."""
    return await approved_project(
        funds,
        staff,
        clock,
        village_headers=staff.other_town_village,
        town_headers=staff.other_town,
        **{"region_code": OTHER_TOWN_VILLAGE, "owner_department": "区住建局", **overrides},
    )


def d(text: str) -> date:
    return date.fromisoformat(text)


async def allocate(
    funds: httpx.AsyncClient,
    headers: dict[str, str],
    source: dict[str, Any],
    project: dict[str, Any],
    amount: str,
    on: date,
) -> dict[str, Any]:
    body = {"fund_source_id": source["id"], "project_id": project["id"], "amount": amount, "allocated_on": str(on)}
    response = await funds.post("/allocations", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def pay(
    funds: httpx.AsyncClient, headers: dict[str, str], allocation: dict[str, Any], amount: str, on: date
) -> httpx.Response:
    body = {
        "allocation_id": allocation["id"],
        "amount": amount,
        "paid_on": str(on),
        "voucher_number": f"记-{next(_serial)}",
    }
    return await funds.post(f"/projects/{allocation['project_id']}/payments", json=body, headers=headers)


async def until_waiting_on_locks(engine: AsyncEngine, waiting: int = 2, seconds: float = 6.0) -> None:
    """Wait until `waiting` connections of the test database are queued on a lock (two racing requests held by a
    third connection), and fail if they never are."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    for _ in range(int(seconds / 0.02)):
        async with engine.connect() as conn:
            if int(await conn.scalar(query) or 0) >= waiting:
                return
        await asyncio.sleep(0.02)
    raise AssertionError(f"fewer than {waiting} connections queued on a lock after {seconds} s")
