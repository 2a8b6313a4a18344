"""Builds the monitoring-api application."""

from fastapi import FastAPI

from dixian_shared.app import AppContext, build_context, create_service_app
from dixian_shared.auth.tokens import TokenIssuer
from dixian_shared.identity.router import router as identity_router
from monitoring_api import labels
from monitoring_api.assessments.endpoints import router as assessments_router
from monitoring_api.deadlines.endpoints import router as deadlines_router
from monitoring_api.elimination.endpoints import router as elimination_router
from monitoring_api.feed.endpoints import router as feed_router
from monitoring_api.households.endpoints import router as households_router
from monitoring_api.imports.endpoints import router as imports_router
from monitoring_api.inclusion.endpoints import router as inclusion_router
from monitoring_api.income.endpoints import router as income_router
from monitoring_api.measures.endpoints import router as measures_router
from monitoring_api.models import COMMON
from monitoring_api.overview.endpoints import router as overview_router
from monitoring_api.people.endpoints import router as people_router
from monitoring_api.provincial.endpoints import router as provincial_router
from monitoring_api.search.endpoints import router as search_router
from monitoring_api.sector.crosscheck.endpoints import router as discrepancies_router
from monitoring_api.sector.intake.endpoints import router as sector_router
from monitoring_api.settings import MonitoringSettings
from monitoring_api.visits.endpoints import router as visits_router
from monitoring_api.warnings.endpoints import router as warnings_router

ROUTERS = [
    identity_router,
    households_router,
    imports_router,
    assessments_router,
    inclusion_router,
    measures_router,
    elimination_router,
    visits_router,
    income_router,
    warnings_router,
    sector_router,
    discrepancies_router,
    overview_router,
    deadlines_router,
    people_router,
    search_router,
    provincial_router,
    feed_router,
]


def create_app(settings: MonitoringSettings | None = None, context: AppContext | None = None) -> FastAPI:
    settings = settings or MonitoringSettings()
    labels.register()
    ctx = context or build_context(settings, COMMON)
    if settings.auth.private_key_file is not None:
        ctx.extras["issuer"] = TokenIssuer(settings.auth)
    return create_service_app(
        settings,
        COMMON,
        title="Dixian monitoring-api",
        description="Rural households, monitoring subjects and the monitoring-and-assistance cycle.",
        routers=ROUTERS,
        context=ctx,
    )
