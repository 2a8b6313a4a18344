"""Builds the employment-api application."""

from fastapi import FastAPI

from dixian_shared.app import AppContext, create_service_app
from dixian_shared.errors import register_field_labels
from employment_api.deadlines.endpoints import router as deadlines_router
from employment_api.jobs.endpoints import router as jobs_router
from employment_api.models import COMMON
from employment_api.roster.endpoints import router as roster_router
from employment_api.service131.endpoints import router as service131_router
from employment_api.settings import EmploymentSettings
from employment_api.training.endpoints import router as training_router
from employment_api.training.yulu_endpoints import router as yulu_router

ROUTERS = [roster_router, jobs_router, service131_router, training_router, yulu_router, deadlines_router]

register_field_labels(
    {
        "labourer_id": "劳动力",
        "region_code": "区划代码",
        "qualifies": "是否在册",
        "household_id": "户",
    }
)


def create_app(settings: EmploymentSettings | None = None, context: AppContext | None = None) -> FastAPI:
    return create_service_app(
        settings or EmploymentSettings(),
        COMMON,
        title="Dixian employment-api",
        description="Labour roster, monthly employment ledger, 131 service, training and subsidies.",
        routers=ROUTERS,
        context=context,
    )
