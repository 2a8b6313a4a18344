"""A person (a borrower, a seller) as monitoring-api's registry knows them, read with a registry.read service key.

funds-api never reads the monitoring schema; `GET /service/people/{id_number}` is the contract (RegistryPerson).
"""

from typing import Annotated

import httpx
from fastapi import Depends, Request

from dixian_shared.contracts import RegistryPerson
from dixian_shared.errors import ProblemError
from dixian_shared.service_client import ServiceLink, service_client


class RegistryUnavailable(ProblemError):
    status, slug = 503, "registry-unavailable"
    title = "The registry could not be reached"
    template = "monitoring-api did not answer ({reason}); nothing was recorded, try again"
    title_zh = "无法连接监测系统"
    template_zh = "监测系统未响应（{reason}），未作任何记录，请稍后重试"


# A test (or an embedding process) puts the real monitoring app's ASGI transport here; otherwise the link's URL.
TRANSPORT_KEY = "monitoring_transport"


class Registry:
    def __init__(self, link: ServiceLink, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._link = link
        self._transport = transport

    async def person(self, id_number: str) -> RegistryPerson | None:
        """The person, or None when the registry does not know them; RegistryUnavailable when it cannot say."""
        try:
            async with service_client(self._link, transport=self._transport) as client:
                response = await client.get(f"/service/people/{id_number}")
        except (httpx.HTTPError, ValueError) as exc:
            raise RegistryUnavailable(reason=type(exc).__name__) from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise RegistryUnavailable(reason=f"HTTP {response.status_code}")
        return RegistryPerson.model_validate(response.json())


async def get_registry(request: Request) -> Registry:
    ctx = request.app.state.ctx
    return Registry(ctx.settings.monitoring, ctx.extras.get(TRANSPORT_KEY))


RegistryLink = Annotated[Registry, Depends(get_registry)]
