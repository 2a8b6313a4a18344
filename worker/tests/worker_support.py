"""What the worker tests share: the worker's database, real sibling apps on the committed database, users and keys.

A test module imports the fixtures it uses (`..._fixture`, registered under the name without the suffix).
"""

import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from conftest import DISTRICT, rolled_back_context
from deploy.province_sim import Province
from deploy.province_sim import start as start_province
from dixian_shared import idnumber
from dixian_shared.auth.api_keys import new_key
from dixian_shared.contracts import PROVINCIAL_RECORD_CHANGE
from dixian_shared.identity.models import ApiKey, User
from dixian_shared.service_client import ServiceLink
from dixian_worker.app import create_app as create_worker_app
from dixian_worker.db import worker_sessions
from dixian_worker.models import COMMON as WORKER_TABLES
from dixian_worker.notifications.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from dixian_worker.provincial import provincial_record_change
from dixian_worker.settings import ProvinceSettings, WorkerSettings
from monitoring_api.app import create_app as create_monitoring_app
from monitoring_api.deps import get_today
from monitoring_api.models import COMMON as MONITORING_TABLES
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


@dataclass
class Gateway:
    """An SMS gateway played by a real HTTP server: checks every signature, fails the first `fail_first` requests
    with a 503, and counts each message id it accepted."""

    url: str
    secret: str
    fail_first: int
    requests: int = 0
    bad_signatures: int = 0
    accepted: dict[str, int] = field(default_factory=dict)
    always_fail: bool = False
    delay_seconds: float = 0.0  # answer this long after taking the messages (a kill can fall in between)
    keys: dict[str, set[str]] = field(default_factory=dict)  # message id -> Idempotency-Keys it came under
    log: list[tuple[int, int, str]] = field(default_factory=list)  # each request: (status, messages, Idempotency-Key)


def start_gateway(secret: str, fail_first: int = 0) -> tuple[Gateway, Callable[[], None]]:
    gateway = Gateway(url="", secret=secret, fail_first=fail_first)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                gateway.requests += 1
                signed = verify(
                    gateway.secret, self.headers.get(TIMESTAMP_HEADER, ""), self.headers.get(SIGNATURE_HEADER, ""), body
                )
                if not signed:
                    gateway.bad_signatures += 1
                    status = 401
                elif gateway.always_fail or gateway.requests <= gateway.fail_first:
                    status = 503
                else:
                    status = 200
                    for message in json.loads(body)["messages"]:
                        gateway.accepted[message["id"]] = gateway.accepted.get(message["id"], 0) + 1
                        gateway.keys.setdefault(message["id"], set()).add(self.headers.get("Idempotency-Key", ""))
                messages = len(json.loads(body)["messages"]) if signed else 0
                gateway.log.append((status, messages, self.headers.get("Idempotency-Key", "")))
            if gateway.delay_seconds:
                time.sleep(gateway.delay_seconds)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return gateway, stop


SEED_MESSAGES = text("""
WITH stored AS (
    INSERT INTO worker.notification (slot, recipient, user_id, region_code, role, title, body, summary)
    SELECT :slot, 'user:' || n, n, '360702191200', 'village', '待办提醒', '第' || n || '条', '{}'::jsonb
    FROM generate_series(1, :count) AS n
    RETURNING id
)
INSERT INTO worker.webhook_delivery (notification_id) SELECT id FROM stored
""")


async def seed_messages(committed: async_sessionmaker[AsyncSession], slot: str, count: int) -> None:
    async with committed() as session:
        await session.execute(SEED_MESSAGES, {"slot": slot, "count": count})
        await session.commit()


@pytest.fixture(name="worker_api")
async def worker_api_fixture(
    service_settings: Callable[[type[WorkerSettings]], WorkerSettings], connection: AsyncConnection
) -> AsyncIterator[httpx.AsyncClient]:
    """The worker API on the test's rolled-back connection."""
    settings = service_settings(WorkerSettings)
    app = create_worker_app(settings, rolled_back_context(settings, WORKER_TABLES, connection))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://worker") as client:
        yield client


async def relay_to_ledger(committed: async_sessionmaker[AsyncSession]) -> int:
    """What the relay and the worker do with monitoring's events for the province, without Redis in between: each
    outbox row for the provincial actor is handed to the real actor function, then marked published."""
    outbox = MONITORING_TABLES.outbox
    async with committed() as session:
        rows = (
            await session.execute(
                select(outbox.c.id, outbox.c.payload).where(
                    outbox.c.actor_name == PROVINCIAL_RECORD_CHANGE.name, outbox.c.published_at.is_(None)
                )
            )
        ).all()
        for row in rows:
            await provincial_record_change.fn.__wrapped__(**row.payload)  # the coroutine, not the thread hop
        if rows:
            await session.execute(
                update(outbox).where(outbox.c.id.in_([r.id for r in rows])).values(published_at=func.now())
            )
        await session.commit()
    return len(rows)


async def new_household(client: httpx.AsyncClient, headers: dict[str, str], region: str, serial: int) -> int:
    body = {
        "region_code": region,
        "head_name": f"户主{serial}",
        "category": "一般农户",
        "members": [
            {
                "id_number": idnumber.make(f"36070219700101{serial:03d}"),
                "name": f"户主{serial}",
                "relation": "户主",
                "labour_skill": "普通劳动力",
            }
        ],
    }
    response = await client.post("/households", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture(name="live_worker_api")
async def live_worker_api_fixture(
    service_settings: Callable[[type[WorkerSettings]], WorkerSettings],
    committed: async_sessionmaker[AsyncSession],
) -> AsyncIterator[httpx.AsyncClient]:
    """The worker API on the committed database, beside a worker that commits (sync and reminder runs)."""
    app = create_worker_app(service_settings(WorkerSettings))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://worker") as client:
        yield client
    await app.state.ctx.engine.dispose()


@pytest.fixture(name="province")
def province_fixture() -> Iterator[tuple[Province, str]]:
    """The provincial simulator on a real port (timeouts are real), with its API key."""
    sim = Province(api_key="prov-key")
    url, server = start_province(sim)
    yield sim, url
    server.shutdown()
    server.server_close()


async def sync_settings(committed: async_sessionmaker[AsyncSession], url: str, **province: Any) -> WorkerSettings:
    key = await add_service_key(committed, "registry.read", "province.sync")
    return WorkerSettings(
        monitoring=ServiceLink(url="http://monitoring", api_key=key),
        province=ProvinceSettings(url=url, api_key="prov-key", **province),
    )
