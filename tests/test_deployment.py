"""What a deployment relies on: metrics that add up across uvicorn workers, and API docs that need no CDN."""

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dixian_shared.settings import AuthSettings
from dixian_shared.testing.plugin import free_port

BIN = Path(sys.executable).parent
REQUESTS = 60


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode(errors="replace")


@pytest.fixture(scope="module")
def two_worker_server(migrated_database: str, redis_url: str, auth_settings: AuthSettings) -> Iterator[str]:
    """funds-api as production runs it: `serve --workers 2`, a real process over the run's database."""
    port = free_port()
    env = dict(os.environ)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.update(
        FUNDS_POSTGRES__URL=migrated_database,
        FUNDS_REDIS__URL=redis_url,
        FUNDS_AUTH__PUBLIC_KEY_FILE=str(auth_settings.public_key_file),
        FUNDS_OUTBOX__RELAY_ENABLED="false",
    )
    process = subprocess.Popen(
        [BIN / "funds-api", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(f"{url}/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("funds-api did not start")
    yield url
    process.terminate()
    process.wait(timeout=15)


def _healthz_count(metrics: str) -> float:
    pattern = re.compile(r'^dixian_http_requests_total\{[^}]*route="/healthz"[^}]*status="200"[^}]*\} (\S+)$', re.M)
    return sum(float(value) for value in pattern.findall(metrics))


def test_metrics_count_every_request_whichever_worker_served_it(two_worker_server: str) -> None:
    before = _healthz_count(_get(f"{two_worker_server}/metrics")[1])
    # New connections each time, so the kernel spreads them over both workers.
    for _ in range(REQUESTS):
        with httpx.Client() as client:
            assert client.get(f"{two_worker_server}/healthz").status_code == 200
    # Each scrape may be answered by either worker: all of them must report the same total.
    for _ in range(6):
        with httpx.Client() as client:
            metrics = client.get(f"{two_worker_server}/metrics").text
        assert _healthz_count(metrics) - before == REQUESTS


def test_docs_are_served_without_a_cdn(two_worker_server: str) -> None:
    for page in ("/docs", "/redoc"):
        status, html = _get(f"{two_worker_server}{page}")
        assert status == 200
        external = [src for src in re.findall(r'(?:src|href)="([^"]+)"', html) if "://" in src]
        assert external == [], f"{page} loads {external}"
        for asset in re.findall(r'(?:src|href)="(/docs-assets/[^"]+)"', html):
            assert _get(f"{two_worker_server}{asset}")[0] == 200
