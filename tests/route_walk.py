"""Walks a FastAPI app's route table, so that tests over 'every endpoint' cover endpoints added later too."""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

_PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    route: APIRoute

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def query_params(self) -> set[str]:
        return _query_params(self.route.dependant)

    def path_params(self) -> list[str]:
        return _PARAM.findall(self.path)

    def url(self, values: Mapping[str, object], default: object = 1) -> str:
        return _PARAM.sub(lambda m: str(values.get(m.group(1), default)), self.path)


def _query_params(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_params(sub)
    return names


def operations(app: FastAPI) -> Iterator[Operation]:
    """Every method of every API route, included routers and prefixes resolved (the docs and OpenAPI routes are
    Starlette routes, not APIRoutes)."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path is not None:
            for method in sorted((context.methods or set()) - {"HEAD", "OPTIONS"}):
                yield Operation(method, context.path, route)


def list_operations(app: FastAPI) -> list[Operation]:
    """The keyset-paginated lists: GET operations that take a cursor."""
    return [op for op in operations(app) if op.method == "GET" and "cursor" in op.query_params()]
