"""Builders shared by the employment tests (no tests here): registry households in monitoring-api, the service key
employment-api reads the registry with, and roster labourers made through the real feed."""

import itertools
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import idnumber
from dixian_shared.auth.api_keys import new_key
from dixian_shared.contracts import ServiceScope
from dixian_shared.identity.models import ApiKey
from employment_api.deps import get_today
from employment_api.models import COMMON as EMPLOYMENT
from employment_api.roster import service as roster
from employment_api.roster.models import Labourer
from employment_api.roster.sync import SyncCounts
from employment_api.rules import RuleSettings
from monitoring_api.models import COMMON as MONITORING

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]
DISTRICT = "360702000000"
_serial = itertools.count(1)


def person_id(birth: str = "19800101") -> str:
    """A valid resident ID number born on `birth` (YYYYMMDD), unique within the run."""
    return idnumber.make(f"360702{birth}{next(_serial) % 1000:03d}")


def member(birth: str = "19800101", skill: str = "普通劳动力", **fields: Any) -> dict[str, Any]:
    return {"id_number": person_id(birth), "name": "王五", "relation": "之子", "labour_skill": skill, **fields}


async def add_household(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    region_code: str,
    members: list[dict[str, Any]],
    category: str = "脱贫户",
) -> dict[str, Any]:
    members = [{**members[0], "relation": "户主"}, *members[1:]]
    body = {"region_code": region_code, "head_name": "王五", "category": category, "members": members}
    response = await monitoring.post("/households", json=body, headers=token_for("village", region_code))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def service_key(session_on: Sessions, *scopes: str) -> dict[str, str]:
    key, prefix, secret_hash = new_key()
    async with session_on(MONITORING) as session:
        session.add(
            ApiKey(
                prefix=prefix,
                secret_hash=secret_hash,
                name="employment-api",
                role="service",
                region_code=DISTRICT,
                scopes=list(scopes),
                active=True,
            )
        )
        await session.commit()
    return {"X-API-Key": key}


@pytest.fixture
async def registry(monitoring_app: FastAPI, session_on: Sessions) -> AsyncIterator[httpx.AsyncClient]:
    """monitoring-api as employment-api reaches it: the real app, a service key with registry.read."""
    headers = await service_key(session_on, ServiceScope.registry_read)
    transport = httpx.ASGITransport(app=monitoring_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://monitoring", headers=headers) as client:
        yield client


async def sync(
    session_on: Sessions,
    registry: httpx.AsyncClient,
    entity: str,
    entity_id: int,
    *,
    today: date = date(2026, 11, 2),
    rules: RuleSettings | None = None,
) -> SyncCounts:
    """What the roster actor does for one event, on the test's connection."""
    async with session_on(EMPLOYMENT) as session:
        counts = await roster.sync_event(
            session, registry, entity, entity_id, rules=rules or RuleSettings(), today=today, event_id="test"
        )
        await session.commit()
    return counts


def set_today(app: FastAPI, day: date) -> None:
    app.dependency_overrides[get_today] = lambda: day


async def labourers(
    monitoring: httpx.AsyncClient,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
    region_code: str,
    count: int = 2,
    *,
    birth: str = "19800101",
    category: str = "脱贫户",
) -> list[int]:
    """A household of `count` labourers in the village, synced to the roster; their employment-api ids."""
    household = await add_household(monitoring, token_for, region_code, [member(birth) for _ in range(count)], category)
    await sync(session_on, registry, "household", household["id"])
    member_ids = [m["id"] for m in household["members"]]
    async with session_on(EMPLOYMENT) as session:
        rows = await session.execute(select(Labourer.member_id, Labourer.id).where(Labourer.member_id.in_(member_ids)))
        by_member = dict(rows.all())
    return [by_member[m] for m in member_ids]
