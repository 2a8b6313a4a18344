"""ASGI middleware: a request id for every request (echoed as X-Request-ID) and Prometheus request metrics."""

import re
import time
import uuid

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dixian_shared.context import request_id_var

REQUESTS = Counter("dixian_http_requests_total", "HTTP requests", ["service", "method", "route", "status"])
LATENCY = Histogram("dixian_http_request_seconds", "HTTP request latency", ["service", "method", "route"])

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            REQUESTS.labels(self.service, scope["method"], path, str(status)).inc()
            LATENCY.labels(self.service, scope["method"], path).observe(time.perf_counter() - started)
            request_id_var.reset(token)
