"""Sync runs as the scheduler and the tests start them: push everything due, pull and apply the province's changes."""

import httpx

from dixian_shared.service_client import service_client
from dixian_worker.db import worker_sessions
from dixian_worker.settings import WorkerSettings
from dixian_worker.sync import pull, runs
from dixian_worker.sync.push import Tally, push_batch


def province_client(settings: WorkerSettings, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    province = settings.province
    headers = {"X-API-Key": province.api_key} if province.api_key else {}
    return httpx.AsyncClient(
        base_url=province.url or "", headers=headers, timeout=province.timeout_seconds, transport=transport
    )


async def push_all(
    settings: WorkerSettings,
    monitoring_transport: httpx.AsyncBaseTransport | None = None,
    province_transport: httpx.AsyncBaseTransport | None = None,
) -> tuple[str, dict[str, int]]:
    """Push every change that is due; the run is 失败 if any batch failed (its rows wait for their retry)."""
    if not settings.province.url:
        return "未配置", {}
    tally = Tally()
    async with (
        runs.tracked("push") as run,
        service_client(settings.monitoring, monitoring_transport) as monitoring,
        province_client(settings, province_transport) as province,
        worker_sessions() as session,
    ):
        while await push_batch(session, settings.province, monitoring, province, tally):
            pass
        run.counts, run.errors = tally.counts(), tally.errors
    return run.status, tally.counts()


async def pull_all(
    settings: WorkerSettings,
    monitoring_transport: httpx.AsyncBaseTransport | None = None,
    province_transport: httpx.AsyncBaseTransport | None = None,
) -> tuple[str, dict[str, int]]:
    """Read the province's feed from the checkpoint to its end, then apply what does not conflict."""
    if not settings.province.url:
        return "未配置", {}
    counts = {"received": 0, "conflicts": 0, "applied": 0}
    errors: list[str] = []
    async with (
        runs.tracked("pull") as run,
        service_client(settings.monitoring, monitoring_transport) as monitoring,
        province_client(settings, province_transport) as province,
        worker_sessions() as session,
    ):
        while True:
            try:
                received, conflicts = await pull.read_page(session, province, settings.province.pull_page_size)
            except (httpx.HTTPError, ValueError) as exc:
                await session.rollback()
                errors.append(f"province feed: {type(exc).__name__}")
                break
            counts["received"] += received
            counts["conflicts"] += conflicts
            if received < settings.province.pull_page_size:
                break
        while True:
            applied, failed = await pull.apply_pending(session, monitoring)
            counts["applied"] += applied
            errors.extend(failed)
            if failed or not applied:
                break
        run.counts, run.errors = counts, errors
    return run.status, counts
