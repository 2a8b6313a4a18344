"""Builds a service's FastAPI app with everything every service has: errors, auth, health, metrics, regions, relay."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import dramatiq
import redis.asyncio as aioredis
from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.middleware.body_limit import RequestBodyLimitMiddleware

from dixian_shared import audit_router, health, regions
from dixian_shared.auth.tokens import TokenVerifier
from dixian_shared.db import create_engine, create_sessionmaker
from dixian_shared.docs import install_offline_docs
from dixian_shared.error_handlers import install_error_handlers
from dixian_shared.logs import configure_logging
from dixian_shared.middleware import RequestContextMiddleware, TooLargeAsProblem
from dixian_shared.queue import make_broker
from dixian_shared.relay import OutboxRelay
from dixian_shared.settings import ServiceSettings
from dixian_shared.tables import CommonTables


@dataclass
class AppContext:
    """What a request can reach through `request.app.state.ctx`; built once per app, never at import time."""

    settings: ServiceSettings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    tables: CommonTables
    verifier: TokenVerifier
    broker: dramatiq.Broker
    redis: aioredis.Redis
    extras: dict[str, Any]


def build_context(settings: ServiceSettings, tables: CommonTables) -> AppContext:
    engine = create_engine(settings.postgres, application_name=settings.service_name)
    sessionmaker = create_sessionmaker(engine)
    sessionmaker.configure(info={"common": tables})
    return AppContext(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        tables=tables,
        verifier=TokenVerifier(settings.auth),
        broker=make_broker(settings.redis.url),
        redis=aioredis.from_url(settings.redis.url, socket_connect_timeout=2, socket_timeout=2),
        extras={},
    )


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def create_service_app(
    settings: ServiceSettings,
    tables: CommonTables,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    context: AppContext | None = None,
) -> FastAPI:
    configure_logging(settings.service_name, settings.log_level)
    ctx = context or build_context(settings, tables)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        relay_task = None
        if settings.outbox.relay_enabled:
            relay = OutboxRelay(ctx.sessionmaker, tables.outbox, ctx.broker, settings.outbox)
            relay_task = asyncio.create_task(relay.run_forever(_asyncpg_dsn(settings.postgres.url)))
        try:
            yield
        finally:
            if relay_task is not None:
                relay_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await relay_task
            await ctx.redis.aclose()
            await ctx.engine.dispose()

    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.ctx = ctx
    install_offline_docs(app)
    install_error_handlers(app)
    # The request-size limit as a user middleware (FastAPI's own app-wide one answers outside every handler, in
    # plain text); streamed upload routes raise it for themselves with max_body_size=UPLOAD_MAX_BODY_BYTES.
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=settings.limits.max_body_bytes)
    app.add_middleware(TooLargeAsProblem)
    app.add_middleware(RequestContextMiddleware, service=settings.service_name)
    app.include_router(health.router)
    app.include_router(regions.router)
    app.include_router(audit_router.router)
    for router in routers:
        app.include_router(router)
    return app
