"""Builds the funds-api application."""

from fastapi import FastAPI

from dixian_shared.app import AppContext, create_service_app
from funds_api.models import COMMON
from funds_api.settings import FundsSettings


def create_app(settings: FundsSettings | None = None, context: AppContext | None = None) -> FastAPI:
    return create_service_app(
        settings or FundsSettings(),
        COMMON,
        title="Dixian funds-api",
        description="Fund sources, project library, allocations, payments, assets, microcredit, consumption aid.",
        routers=[],
        context=context,
    )
