"""A page cursor a client forged is a 422 naming query.cursor on every list of every service, never a 500."""

import base64
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from route_walk import list_operations

from conftest import DISTRICT

FORGED_JSON = [
    "[Infinity]",
    "[-Infinity]",
    "[NaN]",
    "[1e308]",
    "[1e400]",
    "[1.5]",
    "[true]",
    "[[1]]",
    '[{"a": 1}]',
    '{"a": 1}',
    '"x"',
    "1",
    "[]",
    "null",
    '["1", 100000000000000000000]',
    '["\\u0000", 1]',
    "[" * 150 + "]" * 150,
]


def _encode(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


CURSORS = [_encode(raw) for raw in FORGED_JSON] + ["!!!", "%%", "w7w"]


def test_every_service_has_lists_to_check(service_apps: dict[str, FastAPI]) -> None:
    assert len(list_operations(service_apps["monitoring"])) >= 20


@pytest.mark.parametrize("service", ["monitoring", "funds", "employment"])
async def test_a_forged_cursor_is_a_422_on_every_list(
    service: str, service_apps: dict[str, FastAPI], token_for: Callable[..., dict[str, str]]
) -> None:
    app = service_apps[service]
    headers = token_for("district", DISTRICT)
    failures = []
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as client:
        for operation in list_operations(app):
            for cursor in CURSORS:
                response = await client.get(operation.url({}), params={"cursor": cursor}, headers=headers)
                fields = [e.get("field") for e in response.json().get("errors") or []] if response.content else []
                if response.status_code != 422 or fields != ["query.cursor"]:
                    failures.append(f"{operation.key} cursor={cursor[:30]}: {response.status_code} {fields}")
    assert not failures, "\n".join(failures[:40])
