"""An app that is dropped is freed.

FastAPI remembers every endpoint and dependency it has seen in module-level caches, so a per-app closure handed to
it (a route defined inside a factory that closes over the app or its context) keeps that app, its engine and its
clients alive for the rest of the process. The test suite makes an app per test: such a closure once kept thousands
of them, and the interpreter spent a minute collecting them after the summary.
"""

import gc
import weakref
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from dixian_worker.app import create_app as create_worker_app
from dixian_worker.settings import WorkerSettings
from employment_api.app import create_app as create_employment_app
from employment_api.settings import EmploymentSettings
from funds_api.app import create_app as create_funds_app
from funds_api.settings import FundsSettings
from monitoring_api.app import create_app as create_monitoring_app
from monitoring_api.settings import MonitoringSettings

FACTORIES = {
    "monitoring": (create_monitoring_app, MonitoringSettings),
    "funds": (create_funds_app, FundsSettings),
    "employment": (create_employment_app, EmploymentSettings),
    "worker": (create_worker_app, WorkerSettings),
}


async def _use(app: FastAPI) -> None:
    """Serve the pages every app has, so request-time caches have seen its endpoints too."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app") as client:
        assert (await client.get("/openapi.json")).status_code == 200
        for page, name in (("/docs", "Swagger UI"), ("/redoc", "ReDoc")):
            response = await client.get(page)
            assert response.status_code == 200
            assert f"<title>{app.title} — {name}</title>" in response.text


@pytest.mark.parametrize("service", FACTORIES)
async def test_an_app_that_is_dropped_is_freed(service: str, service_settings: Callable[..., Any]) -> None:
    factory, settings_class = FACTORIES[service]
    app = factory(service_settings(settings_class))
    await _use(app)
    engine = weakref.ref(app.state.ctx.engine)
    dropped = weakref.ref(app)
    del app
    gc.collect()
    assert dropped() is None, "something outside the app still holds it (see the module docstring)"
    assert engine() is None
