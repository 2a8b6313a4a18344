"""The worker's small API (`dixian-worker-api serve`, port 8004): inbox, deliveries, provincial sync state."""

from fastapi import FastAPI

from dixian_shared.app import AppContext, create_service_app
from dixian_worker.models import COMMON
from dixian_worker.notifications.endpoints import router as notifications_router
from dixian_worker.settings import WorkerSettings
from dixian_worker.sync.endpoints import router as sync_router

ROUTERS = [notifications_router, sync_router]


def create_app(settings: WorkerSettings | None = None, context: AppContext | None = None) -> FastAPI:
    settings = settings or WorkerSettings()
    return create_service_app(
        settings,
        COMMON,
        title="Dixian worker-api",
        description="The in-app inbox, gateway deliveries and the provincial sync, kept in the worker schema.",
        routers=ROUTERS,
        context=context,
    )
