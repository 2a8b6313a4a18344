"""Ask every configured service for its deadlines (GET /deadlines): one that is down or answers nonsense is
recorded and asked again next slot; it never stops the others."""

import asyncio
import logging
from dataclasses import dataclass
from datetime import date

import httpx
from pydantic import ValidationError

from dixian_shared.contracts import DeadlineItem, DeadlineReport
from dixian_shared.service_client import ServiceLink, service_client

log = logging.getLogger(__name__)


@dataclass
class Fetched:
    service: str
    items: list[DeadlineItem]
    error: str | None = None


async def fetch_one(
    service: str, link: ServiceLink, on: date, horizon_days: int, transport: httpx.AsyncBaseTransport | None
) -> Fetched:
    try:
        async with service_client(link, transport) as client:
            response = await client.get("/deadlines", params={"on": on.isoformat(), "horizon_days": horizon_days})
            response.raise_for_status()
            report = DeadlineReport.model_validate_json(response.content)
    except (httpx.HTTPError, ValidationError, ValueError) as exc:
        log.warning("deadlines of %s not read: %s", service, exc)
        return Fetched(service, [], f"{type(exc).__name__}: {exc}"[:500])
    return Fetched(service, report.items)


async def fetch_all(
    links: dict[str, ServiceLink],
    on: date,
    horizon_days: int,
    transports: dict[str, httpx.AsyncBaseTransport] | None = None,
) -> list[Fetched]:
    transports = transports or {}
    configured = {name: link for name, link in links.items() if link.url}
    return list(
        await asyncio.gather(
            *(fetch_one(name, link, on, horizon_days, transports.get(name)) for name, link in configured.items())
        )
    )
