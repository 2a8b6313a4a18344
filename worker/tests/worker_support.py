"""What the worker tests share: the worker's database, real sibling apps on the committed database, users and keys.

A test module imports the fixtures it uses (`..._fixture`, registered under the name without the suffix).
"""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conftest import DISTRICT
from dixian_shared.auth.api_keys import new_key
from dixian_shared.identity.models import ApiKey, User
from dixian_worker.db import worker_sessions
from monitoring_api.app import create_app as create_monitoring_app
from monitoring_api.deps import get_today
from monitoring_api.settings import MonitoringSettings


@dataclass
class Clock:
    today: date


@dataclass
class Monitoring:
    """monitoring-api running for real on the committed database (the worker's sibling), with a movable clock."""

    app: FastAPI
    clock: Clock
    transport: httpx.ASGITransport

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=self.transport, base_url="http://monitoring")


@pytest.fixture(name="worker_database")
def worker_database_fixture(migrated_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKER_POSTGRES__URL", migrated_database)
    worker_sessions.reset()


@pytest.fixture(name="live_monitoring")
async def live_monitoring_fixture(
    service_settings: Callable[[type[MonitoringSettings]], MonitoringSettings],
    committed: async_sessionmaker[AsyncSession],
) -> AsyncIterator[Monitoring]:
    app = create_monitoring_app(service_settings(MonitoringSettings))
    clock = Clock(date(2024, 9, 5))
    app.dependency_overrides[get_today] = lambda: clock.today
    yield Monitoring(app, clock, httpx.ASGITransport(app=app, raise_app_exceptions=False))
    await app.state.ctx.engine.dispose()


async def add_service_key(committed: async_sessionmaker[AsyncSession], *scopes: str) -> str:
    key, prefix, secret_hash = new_key()
    async with committed() as session:
        session.add(
            ApiKey(
                prefix=prefix,
                secret_hash=secret_hash,
                name="worker",
                role="service",
                region_code=DISTRICT,
                scopes=list(scopes),
            )
        )
        await session.commit()
    return key


async def add_user(committed: async_sessionmaker[AsyncSession], username: str, role: str, region_code: str) -> int:
    async with committed() as session:
        user = User(username=username, password_hash="-", name=username, role=role, region_code=region_code)
        session.add(user)
        await session.commit()
        return user.id
