"""The callers and records the authorisation matrix runs against: one caller of each role and credential, and
records (seeded by authz_seeds.py) in three places: the caller's own village, another village of the same town, a
village of another town.

A route names its records by path parameters (`household_id`, `mark_id` …); `Record.ids` maps them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared import idnumber, regioncode
from dixian_shared.auth.api_keys import new_key
from dixian_shared.contracts import ServiceScope
from dixian_shared.identity.models import ApiKey

PLACES = {"own village": VILLAGE, "same town": OTHER_VILLAGE, "other town": OTHER_TOWN_VILLAGE}
OTHER_DISTRICT = "360703000000"  # 南康区: a key of another region
DATA_TYPE = "medical_enrolment"
OTHER_DATA_TYPE = "housing_appraisal"
CADRE = "authz-cadre"  # paired with the household of the own village only
MISSING_ID = 2**62 - 7
TODAY = date(2024, 6, 15)


@dataclass(frozen=True)
class Caller:
    name: str
    role: str | None  # None: no credentials at all
    region_code: str = DISTRICT
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "user"  # user, api_key, expired
    scopes: frozenset[str] = frozenset()

    @property
    def policy_role(self) -> str | None:
        """The role the policy table names: a department's system (API key) and a department's person differ."""
        if self.role == "department" and self.kind == "user":
            return "department user"
        return self.role

    def sees(self, record: "Record") -> bool:
        """Whether the region, data-type and pairing rules put the record within this caller's reach."""
        if not record.region_code.startswith(regioncode.prefix(self.region_code)):
            return False
        if self.kind == "api_key" and record.data_type is not None and record.data_type not in self.scopes:
            return False
        return not (self.role == "cadre" and not record.paired)


@dataclass(frozen=True)
class Record:
    relation: str  # own village / same town / other town, or "missing" (an id nobody has)
    region_code: str
    ids: dict[str, object]
    data_type: str | None = None
    paired: bool = False


@dataclass
class World:
    records: dict[str, list[Record]] = field(default_factory=dict)

    def add(self, kind: str, record: Record) -> None:
        self.records.setdefault(kind, []).append(record)

    def of(self, kind: str) -> list[Record]:
        return self.records[kind]

    def missing(self, kind: str) -> Record:
        """A record of the kind that does not exist: same shape, ids nobody has (the 404 a foreign one must match)."""
        sample = self.records[kind][0]
        ids = {name: _missing_value(value) if name not in KEPT_PARAMS else value for name, value in sample.ids.items()}
        return Record("missing", sample.region_code, ids, sample.data_type, sample.paired)


KEPT_PARAMS = {"year", "part_number", "kind"}  # not identities: the same value stands for a missing record


def _missing_value(value: object) -> object:
    if isinstance(value, str) and len(value) == 18:
        return idnumber.make("36070219700101999")  # a valid number nobody in the registry holds
    return MISSING_ID


Tokens = Callable[..., dict[str, str]]


async def callers(session: AsyncSession, token_for: Tokens, expired_token_for: Tokens) -> list[Caller]:
    """One caller of each role, the department keys (right data type, wrong data type, another region), a caller
    with no credentials and one whose token expired."""
    found = [
        Caller("district", "district", DISTRICT, token_for("district", DISTRICT, subject="authz-d")),
        Caller("town", "town", TOWN, token_for("town", TOWN, subject="authz-t")),
        Caller("village", "village", VILLAGE, token_for("village", VILLAGE, subject="authz-v")),
        Caller("cadre", "cadre", VILLAGE, token_for("cadre", VILLAGE, subject=CADRE, name="结对干部")),
        Caller("department user", "department", DISTRICT, token_for("department", DISTRICT, subject="authz-f")),
        Caller("no token", None),
        Caller("expired token", "district", DISTRICT, expired_token_for("district", DISTRICT), kind="expired"),
    ]
    for name, role, region, scopes in (
        ("department key", "department", DISTRICT, [DATA_TYPE]),
        ("key of the wrong data type", "department", DISTRICT, [OTHER_DATA_TYPE]),
        ("key of another region", "department", OTHER_DISTRICT, [DATA_TYPE]),
        ("service key", "service", DISTRICT, [scope.value for scope in ServiceScope]),
    ):
        key, prefix, secret_hash = new_key()
        session.add(
            ApiKey(prefix=prefix, secret_hash=secret_hash, name=name[:20], role=role, region_code=region, scopes=scopes)
        )
        found.append(Caller(name, role, region, {"X-API-Key": key}, "api_key", frozenset(scopes)))
    await session.flush()
    return found


async def created(response: httpx.Response) -> dict[str, object]:
    """The body of a seeding request that must have succeeded."""
    assert response.status_code in (200, 201), f"{response.request.method} {response.request.url}: {response.text}"
    body: dict[str, object] = response.json()
    return body


async def seed_places(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    """Every service: the three places themselves (routes whose body or query names a region)."""
    world = World()
    for relation, code in PLACES.items():
        world.add("place", Record(relation, code, {"region_code": code}))
    return world
