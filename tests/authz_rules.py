"""The vocabulary of the authorisation policy (authz_policy.py): the roles' groups, a route's Rule, the routes
every service shares, and helpers that build a valid body for the record a route reaches."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from authz_world import Record, World

from dixian_shared import idnumber

Body = Callable[[Record, World], Any]

STAFF = frozenset({"district", "town", "village"})
VISITORS = STAFF | {"cadre"}
DISTRICT = frozenset({"district"})
TOWN = frozenset({"town"})
VILLAGE = frozenset({"village"})
PUSHERS = frozenset({"district", "department"})
EVERYONE = frozenset({"district", "town", "village", "cadre", "department", "department user", "service"})
SERVICE_OR_DISTRICT = frozenset({"district", "service"})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str] = frozenset()
    record: str | None = None  # the record kind the route reaches; None: a list or a route with no record
    body: Body | None = None  # a valid body (the endpoint must get past validation to decide on the record)
    query: Body | None = None
    content: tuple[bytes, str] | None = None  # a raw body and its content type
    files: dict[str, tuple[str, bytes, str]] | None = None  # a multipart form's files
    scope: str | None = None  # a key must hold this data type (else 403), whatever the record
    public: bool = False
    headers: dict[str, str] = field(default_factory=dict)


PUBLIC = Rule(public=True)


def same(kind: str, key: str) -> Body:
    """The id of the record of `kind` in the same place as the record the route reaches."""
    return lambda r, w: next(x for x in w.of(kind) if x.relation == r.relation).ids[key]


def household_body(extra: dict[str, Any]) -> Body:
    return lambda r, w: {"household_id": r.ids["household_id"], **extra}


MEMBER = {
    "id_number": idnumber.make("36070219900101123"),
    "name": "李四",
    "relation": "之子",
    "labour_skill": "普通劳动力",
}

SHARED: dict[str, Rule] = {
    "GET /docs": PUBLIC,
    "GET /redoc": PUBLIC,
    "GET /healthz": PUBLIC,
    "GET /readyz": PUBLIC,
    "GET /metrics": PUBLIC,
    "GET /regions": Rule(EVERYONE),
    "GET /regions/{code}": Rule(EVERYONE),
    "GET /audit": Rule(DISTRICT),
}
