"""Builds the funds-api application."""

from fastapi import FastAPI

from dixian_shared.app import AppContext, create_service_app
from dixian_shared.errors import register_field_labels
from funds_api.assets.endpoints import router as assets_router
from funds_api.assets.operation_endpoints import router as asset_operations_router
from funds_api.credit.endpoints import router as credit_router
from funds_api.deadlines.endpoints import router as deadlines_router
from funds_api.disbursement.endpoints import router as disbursement_router
from funds_api.entities.endpoints import router as entities_router
from funds_api.labels import FIELD_LABELS
from funds_api.models import COMMON
from funds_api.projects.change_endpoints import router as changes_router
from funds_api.projects.endpoints import router as projects_router
from funds_api.purchases.endpoints import router as purchases_router
from funds_api.reports.endpoints import router as reports_router
from funds_api.settings import FundsSettings
from funds_api.sources.endpoints import router as sources_router

# One router per line, so that helpers adding domains side by side merge cleanly.
ROUTERS = [
    sources_router,
    projects_router,
    disbursement_router,
    changes_router,
    reports_router,
    credit_router,
    deadlines_router,
    entities_router,
    purchases_router,
    asset_operations_router,
    assets_router,
]


def create_app(settings: FundsSettings | None = None, context: AppContext | None = None) -> FastAPI:
    register_field_labels(FIELD_LABELS)
    return create_service_app(
        settings or FundsSettings(),
        COMMON,
        title="Dixian funds-api",
        description="Fund sources, project library, allocations, payments, assets, microcredit, consumption aid.",
        routers=ROUTERS,
        context=context,
    )
