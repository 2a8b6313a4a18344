"""Liveness, readiness (database and broker answer) and Prometheus metrics."""

import asyncio
import os

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from pydantic import BaseModel
from sqlalchemy import text

from dixian_shared.errors import Problem, problem_response

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


@router.get("/healthz", response_model=Health, summary="The process is alive")
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Problem}}, summary="Database and broker answer")
async def readyz(request: Request) -> Response:
    ctx = request.app.state.ctx
    checks: dict[str, str] = {}
    try:
        async with asyncio.timeout(3):
            async with ctx.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"failed: {type(exc).__name__}"
    try:
        async with asyncio.timeout(3):
            await ctx.redis.ping()
        checks["broker"] = "ok"
    except Exception as exc:
        checks["broker"] = f"failed: {type(exc).__name__}"
    if all(v == "ok" for v in checks.values()):
        return Response(Health(status="ok", checks=checks).model_dump_json(), media_type="application/json")
    failed = ", ".join(k for k, v in checks.items() if v != "ok")
    problem = Problem(
        type="https://dixian.gov.cn/problems/not-ready", title="Not ready", status=503, detail=f"{failed} not reachable"
    )
    return problem_response(problem)


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several uvicorn workers: each writes its samples to the shared folder; any of them answers for all.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
