"""Test support for funds-api: a funds app linked to the real monitoring app, a service key, registry households.

Not a conftest (the root conftest is the only one): tests call these with the root fixtures.
"""

import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from conftest import DISTRICT, VILLAGE, rolled_back_context
from dixian_shared import idnumber
from dixian_shared.auth.api_keys import new_key
from dixian_shared.identity.models import ApiKey
from dixian_shared.service_client import ServiceLink
from funds_api.app import create_app
from funds_api.deps import get_today
from funds_api.models import COMMON
from funds_api.registry import TRANSPORT_KEY
from funds_api.rules import FundsRules
from funds_api.settings import FundsSettings

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]
_serial = itertools.count(10)


def person_id(birth: date) -> str:
    """A valid resident ID number born on `birth`, unique within the run."""
    return idnumber.make(f"360702{birth:%Y%m%d}{next(_serial) % 1000:03d}")


async def service_key(session_on: Sessions, *scopes: str) -> str:
    key, prefix, secret_hash = new_key()
    async with session_on(COMMON) as session:
        session.add(
            ApiKey(
                prefix=prefix,
                secret_hash=secret_hash,
                name="funds-api",
                role="service",
                region_code=DISTRICT,
                scopes=list(scopes),
            )
        )
        await session.commit()
    return key


@asynccontextmanager
async def linked_funds(
    service_settings: Callable[..., Any],
    connection: AsyncConnection,
    monitoring_app: FastAPI,
    session_on: Sessions,
    *,
    today: date,
    rules: FundsRules | None = None,
    monitoring_url: str = "http://monitoring",
    key_scopes: tuple[str, ...] = ("registry.read",),
) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    """funds-api over the test's connection, reading the registry from the real monitoring app (in process)."""
    settings: FundsSettings = service_settings(FundsSettings)
    settings.monitoring = ServiceLink(url=monitoring_url, api_key=await service_key(session_on, *key_scopes))
    if rules is not None:
        settings.rules = rules
    ctx = rolled_back_context(settings, COMMON, connection)
    if monitoring_url == "http://monitoring":
        ctx.extras[TRANSPORT_KEY] = httpx.ASGITransport(app=monitoring_app)
    app = create_app(settings, ctx)
    app.dependency_overrides[get_today] = lambda: today
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://funds") as client:
        yield client, app


async def register_person(
    monitoring: httpx.AsyncClient,
    tokens: Tokens,
    *,
    birth: date,
    category: str = "脱贫户",
    region: str = VILLAGE,
    name: str = "李四",
) -> dict[str, Any]:
    """A one-member household in the registry; returns the household with its member."""
    member = {"id_number": person_id(birth), "name": name, "relation": "户主", "labour_skill": "普通劳动力"}
    body = {"region_code": region, "head_name": name, "category": category, "members": [member]}
    response = await monitoring.post("/households", json=body, headers=tokens("village", region))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def count(session: AsyncSession, model: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)
