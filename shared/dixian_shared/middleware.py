"""ASGI middleware: a request id for every request (echoed as X-Request-ID), Prometheus request metrics, and the
request-size refusal as a problem."""

import json
import re
import time
import uuid

from prometheus_client import Counter, Histogram
from starlette.datastructures import Headers
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dixian_shared.context import request_id_var
from dixian_shared.error_handlers import http_problem
from dixian_shared.errors import PROBLEM_MEDIA_TYPE, preferred_language

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


class TooLargeAsProblem:
    """The request-size limit answers a body announced too large (Content-Length) before any route runs, as plain
    text; this turns that answer into the RFC 9457 problem every other error is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rewriting: bool | str = False
        body = b""

        async def send_problem(message: Message) -> None:
            nonlocal rewriting, body
            if message["type"] == "http.response.start" and message["status"] == 413:
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                rewriting = not content_type.startswith(PROBLEM_MEDIA_TYPE.encode())
                if rewriting:
                    body = _too_large(scope)
                    message = {**message, "headers": [
                        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close"),
                    ]}  # fmt: skip
            elif message["type"] == "http.response.body" and rewriting:
                if rewriting == "sent":
                    return
                message, rewriting = {"type": "http.response.body", "body": body, "more_body": False}, "sent"
            await send(message)

        await self.app(scope, receive, send_problem)


def _too_large(scope: Scope) -> bytes:
    """The 413 problem in the caller's language, with the limit (still in the scope while the refusal is sent)."""
    language = preferred_language(Headers(scope=scope).get("accept-language"))
    limit = scope.get(MAX_BODY_SIZE_SCOPE_KEY)
    problem = http_problem(413, language, scope.get("path"), "", limit)
    return json.dumps(problem.model_dump(exclude_none=True), ensure_ascii=False).encode()
