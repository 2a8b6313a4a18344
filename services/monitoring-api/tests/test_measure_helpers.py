"""Builders shared by the measure, elimination and visit tests (no tests here).

Inclusion dates and incomes have their own workflows elsewhere; these tests set them directly in the database.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.households.models import Household
from monitoring_api.income.models import HouseholdIncome
from monitoring_api.models import COMMON

from .helpers import household, member, person_id

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]


def set_today(app: FastAPI, day: date) -> None:
    app.dependency_overrides[get_today] = lambda: day


def worker(**overrides: Any) -> dict[str, Any]:
    """An insured adult who can work."""
    return member(**{"labour_skill": "普通劳动力", "medical_insured": True, **overrides})


async def make_household(
    client: httpx.AsyncClient,
    tokens: Tokens,
    session: AsyncSession,
    *,
    region: str = VILLAGE,
    category: str = "脱贫不稳定户",
    included_on: date | None = None,
    members: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> int:
    body = household(region, members if members is not None else [worker()], category=category, **fields)
    response = await client.post("/households", json=body, headers=tokens("district", DISTRICT))
    assert response.status_code == 201, response.text
    household_id: int = response.json()["id"]
    if included_on is not None:
        await session.execute(update(Household).where(Household.id == household_id).values(included_on=included_on))
    return household_id


async def add_income(session: AsyncSession, household_id: int, year: int, per_capita: str, size: int = 1) -> None:
    region = await session.scalar(select(Household.region_code).where(Household.id == household_id))
    value = Decimal(per_capita)
    session.add(
        HouseholdIncome(
            household_id=household_id,
            region_code=region,
            year=year,
            wage_income=value * size,
            household_size=size,
            net_income=value * size,
            per_capita_net_income=value,
        )
    )
    await session.flush()


async def outbox_topics(session: AsyncSession) -> list[tuple[str, str, str]]:
    outbox = COMMON.outbox
    rows = (await session.execute(select(outbox.c.payload).order_by(outbox.c.id))).all()
    return [(r.payload["topic"], r.payload["entity"], r.payload["action"]) for r in rows]


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def child(birth: str, school_status: str) -> dict[str, Any]:
    return member(
        id_number=person_id(birth),
        name="小明",
        relation="之子",
        labour_skill="无劳动力",
        school_status=school_status,
        medical_insured=True,
    )
