"""Calling another Dixian service over HTTP with a service key: the only way one service reads another's records."""

import httpx
from pydantic import BaseModel


class ServiceLink(BaseModel):
    """Where a sibling service listens and the service key (role `service`) this process presents to it."""

    url: str | None = None
    api_key: str | None = None
    timeout_seconds: float = 10.0


def service_client(link: ServiceLink, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """An httpx client for the linked service; `transport` lets a test run the real sibling app in process."""
    if not link.url:
        raise ValueError("the sibling service's URL is not configured")
    headers = {"X-API-Key": link.api_key} if link.api_key else {}
    return httpx.AsyncClient(base_url=link.url, headers=headers, timeout=link.timeout_seconds, transport=transport)
