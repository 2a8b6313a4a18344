"""The records and callers the authorisation matrix runs against: a few records of every kind in three places (the
caller's own village, another village of the same town, a village of another town), seeded in the test's
rolled-back transaction, and one caller of each role and credential.

A route names its records by path parameters (`household_id`, `mark_id` …); `Record.ids` maps them. A new record
kind is seeded here and named by the routes' `record=` in authz_policy.py.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared import idnumber, regioncode
from dixian_shared.auth.api_keys import new_key
from dixian_shared.contracts import ServiceScope
from dixian_shared.identity.models import ApiKey
from monitoring_api.elimination.enums import EliminationKind, EliminationStatus
from monitoring_api.elimination.models import Elimination
from monitoring_api.sector.models import CrosscheckJob, Discrepancy

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


Seeder = Callable[[httpx.AsyncClient, AsyncSession, Tokens], Awaitable[World]]


async def _created(response: httpx.Response) -> dict[str, object]:
    assert response.status_code in (200, 201), f"{response.request.method} {response.request.url}: {response.text}"
    body: dict[str, object] = response.json()
    return body


async def seed_places(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    """Every service: the three places themselves (routes whose body or query names a region)."""
    world = World()
    for relation, code in PLACES.items():
        world.add("place", Record(relation, code, {"code": code}))
    return world


async def seed_monitoring(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    world = await seed_places(client, session, token_for)
    district = token_for("district", DISTRICT, subject="authz-seed")
    key = await _department_key(session)
    batch = await _created(
        await client.post(
            "/batches",
            json={"data_type": DATA_TYPE, "period": "2024-05", "department_batch_id": "authz-1"},
            headers={"X-API-Key": key},
        )
    )
    batch_id = int(str(batch["id"]))
    job = CrosscheckJob(batch_id=batch_id, state="已完成")
    session.add(job)
    await session.flush()
    world.add("batch", Record("own village", DISTRICT, {"batch_id": batch_id, "part_number": 1}, DATA_TYPE))
    world.add("job", Record("own village", DISTRICT, {"job_id": job.id}, DATA_TYPE))

    for serial, (relation, code) in enumerate(PLACES.items()):
        await _seed_place(client, session, token_for, world, district, relation, code, serial, batch_id)
    return world


async def _seed_place(
    client: httpx.AsyncClient,
    session: AsyncSession,
    token_for: Tokens,
    world: World,
    district: dict[str, str],
    relation: str,
    code: str,
    serial: int,
    batch_id: int,
) -> None:
    number = idnumber.make(f"36070219800101{serial + 1:02d}1")
    member = {
        "id_number": number,
        "name": "张三",
        "relation": "户主",
        "labour_skill": "普通劳动力",
        "phone": f"1390000000{serial}",
    }
    household = await _created(
        await client.post(
            "/households",
            json={"region_code": code, "head_name": "张三", "category": "脱贫户", "members": [member]},
            headers=district,
        )
    )
    hid = int(str(household["id"]))
    members = household["members"]
    assert isinstance(members, list)
    mid = int(members[0]["id"])
    paired = relation == "own village"

    def add(kind: str, **ids: object) -> None:
        world.add(kind, Record(relation, code, {"household_id": hid, **ids}, paired=paired))

    add("household")
    world.add("member", Record(relation, code, {"member_id": mid, "household_id": hid}, paired=paired))
    world.add("person", Record(relation, code, {"id_number": number}, paired=paired))
    url = f"/households/{hid}"
    assessment = await _created(
        await client.post(
            "/assessments",
            json={
                "household_id": hid,
                "month": "2024-06",
                "outcome": "暂不纳入",
                "risk_causes": ["因病"],
                "reasons": "户主住院",
                "assessed_on": "2024-06-10",
            },
            headers=token_for("village", code, subject="authz-seed-village"),
        )
    )
    world.add("assessment", Record(relation, code, {"assessment_id": assessment["id"]}, paired=paired))
    case = await _created(
        await client.post(
            "/inclusion-cases",
            json={"household_id": hid, "channel": "农户自主申报", "clue_date": "2024-06-10", "clue_note": "本人申请"},
            headers=district,
        )
    )
    world.add("inclusion case", Record(relation, code, {"case_id": case["id"]}, paired=paired))
    measure = await _created(
        await client.post(
            f"{url}/measures",
            json={"category": "产业帮扶", "sub_type": "种植业", "owner": "王干部", "start_on": "2024-03-01"},
            headers=district,
        )
    )
    world.add("measure", Record(relation, code, {"measure_id": measure["id"]}, paired=paired))
    lookback = await _created(
        await client.post(f"{url}/lookbacks", json={"due_on": "2024-07-01", "reason": "回头看"}, headers=district)
    )
    world.add("lookback", Record(relation, code, {"lookback_id": lookback["id"]}, paired=paired))
    cadre = CADRE if paired else f"authz-other-{serial}"
    pairing = await _created(
        await client.post(
            "/pairings",
            json={"household_id": hid, "cadre_user_id": cadre, "cadre_name": "结对干部", "since": "2024-01-01"},
            headers=district,
        )
    )
    world.add("pairing", Record(relation, code, {"pairing_id": pairing["id"]}, paired=paired))
    visit = await _created(
        await client.post(f"{url}/visits", json={"visited_on": "2024-06-01", "findings": "正常"}, headers=district)
    )
    world.add("visit", Record(relation, code, {"visit_id": visit["id"]}, paired=paired))
    await _created(await client.put(f"{url}/income/2024", json={"wage_income": "30000"}, headers=district))
    add("income", year=2024)
    mark = await _created(
        await client.post(f"{url}/groups", json={"key_group": "就业不稳定户", "reason": "合同到期"}, headers=district)
    )
    add("group mark", mark_id=mark["id"])

    elimination = Elimination(
        household_id=hid,
        region_code=code,
        kind=EliminationKind.by_assistance,
        status=EliminationStatus.awaiting_verification,
        opened_on=TODAY,
        opened_by="user:authz-seed",
        risk_note="风险已消除",
        category_before="脱贫不稳定户",
    )
    discrepancy = Discrepancy(
        department="区医保分中心",
        data_type=DATA_TYPE,
        rule="member_not_insured",
        subject_key=f"authz-{serial}",
        region_code=code,
        member_id=mid,
        household_id=hid,
        id_number=number,
        registry_data={},
        department_data={},
        status="待核实",
        first_batch_id=batch_id,
        last_batch_id=batch_id,
    )
    session.add_all([elimination, discrepancy])
    await session.flush()
    world.add("elimination", Record(relation, code, {"elimination_id": elimination.id}, paired=paired))
    world.add("discrepancy", Record(relation, code, {"discrepancy_id": discrepancy.id}, DATA_TYPE, paired=paired))


async def _department_key(session: AsyncSession) -> str:
    key, prefix, secret_hash = new_key()
    session.add(
        ApiKey(
            prefix=prefix,
            secret_hash=secret_hash,
            name="authz-seed",
            role="department",
            region_code=DISTRICT,
            scopes=[DATA_TYPE],
        )
    )
    await session.flush()
    return key


SEEDERS: dict[str, Seeder] = {
    "monitoring": seed_monitoring,
    "funds": seed_places,
    "employment": seed_places,
}
