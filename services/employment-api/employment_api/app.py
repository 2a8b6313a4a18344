"""Builds the employment-api application."""

from fastapi import FastAPI

from dixian_shared.app import AppContext, create_service_app
from employment_api.models import COMMON
from employment_api.settings import EmploymentSettings


def create_app(settings: EmploymentSettings | None = None, context: AppContext | None = None) -> FastAPI:
    return create_service_app(
        settings or EmploymentSettings(),
        COMMON,
        title="Dixian employment-api",
        description="Labour roster, monthly employment ledger, 131 service, training and subsidies.",
        routers=[],
        context=context,
    )
