"""Builds the employment-api application."""

from fastapi import FastAPI

from dixian_shared.app import AppContext, create_service_app
from dixian_shared.errors import register_field_labels
from employment_api.deadlines.endpoints import router as deadlines_router
from employment_api.jobs.endpoints import router as jobs_router
from employment_api.labels import FIELD_LABELS
from employment_api.ledger.endpoints import router as ledger_router
from employment_api.models import COMMON
from employment_api.roster.endpoints import router as roster_router
from employment_api.service131.endpoints import router as service131_router
from employment_api.settings import EmploymentSettings
from employment_api.sheets.endpoints import router as sheets_router
from employment_api.subsidies.endpoints import router as subsidies_router
from employment_api.targets.endpoints import router as targets_router
from employment_api.training.endpoints import router as training_router
from employment_api.training.yulu_endpoints import router as yulu_router

ROUTERS = [
    roster_router,
    ledger_router,
    targets_router,
    sheets_router,
    jobs_router,
    service131_router,
    training_router,
    yulu_router,
    deadlines_router,
    subsidies_router,
]


def create_app(settings: EmploymentSettings | None = None, context: AppContext | None = None) -> FastAPI:
    register_field_labels(FIELD_LABELS)
    return create_service_app(
        settings or EmploymentSettings(),
        COMMON,
        title="Dixian employment-api",
        description="Labour roster, monthly employment ledger, 131 service, training and subsidies.",
        routers=ROUTERS,
        context=context,
    )
