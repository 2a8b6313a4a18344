"""Root test fixtures: the run's database migrated once with every schema, and app clients over it.

Each API test runs inside an outer transaction that is rolled back; the app's commits become savepoints.
"""

import asyncio
import gc
import importlib.resources
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from dixian_shared.admin import IDENTITY_MIGRATIONS, load_region_tree
from dixian_shared.app import AppContext, build_context
from dixian_shared.migrations import upgrade
from dixian_shared.settings import AuthSettings, OutboxSettings, PostgresSettings, RedisSettings, ServiceSettings
from dixian_shared.tables import CommonTables
from dixian_worker.app import create_app as create_worker_app
from dixian_worker.models import COMMON as WORKER_TABLES
from dixian_worker.settings import WorkerSettings
from employment_api.app import create_app as create_employment_app
from employment_api.models import COMMON as EMPLOYMENT_TABLES
from employment_api.settings import EmploymentSettings
from funds_api.app import create_app as create_funds_app
from funds_api.models import COMMON as FUNDS_TABLES
from funds_api.settings import FundsSettings
from monitoring_api.app import create_app as create_monitoring_app
from monitoring_api.models import COMMON as MONITORING_TABLES
from monitoring_api.settings import MonitoringSettings

REGION_FILE = Path(__file__).parent / "deploy" / "regions.csv"
SCHEMAS = {
    "monitoring_api": "monitoring",
    "funds_api": "funds",
    "employment_api": "employment",
    "dixian_worker": "worker",
}

TOWN = "360702191000"  # 潭口镇
VILLAGE = "360702191200"  # 谢岗村
OTHER_VILLAGE = "360702191201"  # 谢圩村, same town
OTHER_TOWN_VILLAGE = "360702192200"  # 曾坝村, 潭东镇
DISTRICT = "360702000000"


def pytest_configure(config: pytest.Config) -> None:
    # The worker's broker is made at import time from WORKER_* settings: point it at the tests' Redis first.
    if url := os.environ.get("DIXIAN_TEST_REDIS_URL"):
        os.environ.setdefault("WORKER_REDIS__URL", url)


def pytest_collection_finish(session: pytest.Session) -> None:
    # What the imports made (the four services, pypinyin's phrase dictionary: about 580,000 objects) lives until the
    # end: frozen, the collector stops walking it on every collection during the run and again at exit (5-8 s).
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    upgrade(IDENTITY_MIGRATIONS, database_url, "identity")
    for package, schema in SCHEMAS.items():
        upgrade(Path(str(importlib.resources.files(package) / "migrations")), database_url, schema)
    asyncio.run(load_region_tree(database_url, ["monitoring", "funds", "employment", "worker"], REGION_FILE))
    return database_url


@pytest.fixture(scope="session")
async def engine(migrated_database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(migrated_database)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection inside a transaction that is rolled back after the test."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        yield conn
        await transaction.rollback()


@pytest.fixture
def service_settings(
    migrated_database: str, redis_url: str, auth_settings: AuthSettings
) -> Callable[[type[ServiceSettings]], ServiceSettings]:
    def make(settings_class: type[ServiceSettings]) -> ServiceSettings:
        return settings_class(
            postgres=PostgresSettings(url=migrated_database),
            redis=RedisSettings(url=redis_url),
            auth=auth_settings,
            outbox=OutboxSettings(relay_enabled=False),
        )

    return make


def rolled_back_context(settings: ServiceSettings, tables: CommonTables, connection: AsyncConnection) -> AppContext:
    ctx = build_context(settings, tables)
    ctx.sessionmaker = async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
        info={"common": tables},
    )
    return ctx


@pytest.fixture
def monitoring_app(service_settings, connection: AsyncConnection) -> FastAPI:  # type: ignore[no-untyped-def]
    settings = service_settings(MonitoringSettings)
    return create_monitoring_app(settings, rolled_back_context(settings, MONITORING_TABLES, connection))


@pytest.fixture
async def monitoring(monitoring_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=monitoring_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://monitoring") as client:
        yield client


@pytest.fixture
def funds_app(service_settings, connection: AsyncConnection) -> FastAPI:  # type: ignore[no-untyped-def]
    settings = service_settings(FundsSettings)
    return create_funds_app(settings, rolled_back_context(settings, FUNDS_TABLES, connection))


@pytest.fixture
async def funds(funds_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=funds_app), base_url="http://funds") as client:
        yield client


@pytest.fixture
def employment_app(service_settings, connection: AsyncConnection) -> FastAPI:  # type: ignore[no-untyped-def]
    settings = service_settings(EmploymentSettings)
    return create_employment_app(settings, rolled_back_context(settings, EMPLOYMENT_TABLES, connection))


@pytest.fixture
async def employment(employment_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=employment_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://employment") as client:
        yield client


@pytest.fixture
def worker_app(service_settings, connection: AsyncConnection) -> FastAPI:  # type: ignore[no-untyped-def]
    settings = service_settings(WorkerSettings)
    return create_worker_app(settings, rolled_back_context(settings, WORKER_TABLES, connection))


@pytest.fixture
def service_apps(
    monitoring_app: FastAPI, funds_app: FastAPI, employment_app: FastAPI, worker_app: FastAPI
) -> dict[str, FastAPI]:
    """The three services' apps and the worker's API on the test's rolled-back connection, for tests that walk
    every route."""
    return {"monitoring": monitoring_app, "funds": funds_app, "employment": employment_app, "worker": worker_app}


@pytest.fixture
def session_on(connection: AsyncConnection) -> Callable[[CommonTables], AsyncSession]:
    """A session on the test's connection, for arranging and inspecting data directly."""

    def make(tables: CommonTables) -> AsyncSession:
        return AsyncSession(bind=connection, join_transaction_mode="create_savepoint", info={"common": tables})

    return make


@pytest.fixture
async def committed(engine: AsyncEngine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions that really commit, for tests that need other connections or processes to see the data.

    Everything such a test may write is truncated afterwards, so the rolled-back tests see empty tables.
    """
    yield async_sessionmaker(engine, expire_on_commit=False, info={"common": MONITORING_TABLES})
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "TRUNCATE monitoring.outbox, monitoring.audit_log, monitoring.idempotency_key, monitoring.household, "
                "worker.schedule_slot, worker.provincial_outgoing, worker.notification, worker.reminder_mark, "
                "worker.reminder_source_fetch, worker.audit_log, worker.sync_run, worker.province_checkpoint, "
                "worker.province_inbound, identity.user_account, identity.api_key CASCADE"
            )
        )
