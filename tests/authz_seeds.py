"""Seeds the authorisation matrix's records of each service in the test's rolled-back transaction: a few of every
kind in each of the three places. A new record kind is seeded in its service's seed (monitoring-api's and the
worker's here, funds-api's in authz_seeds_funds.py, employment-api's in authz_seeds_employment.py) and named by
routes' `record=` in the policy (authz_policy*.py).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

import httpx
from authz_seeds_employment import seed_employment
from authz_seeds_funds import seed_funds
from authz_world import CADRE, DATA_TYPE, PLACES, TODAY, Record, Tokens, World, created, seed_places
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT
from dixian_shared import idnumber
from dixian_shared.auth.api_keys import new_key
from dixian_shared.identity.models import ApiKey
from dixian_worker.sync.models import Conflict, InboundUpdate
from employment_api.deps import get_today as employment_today
from funds_api.deps import get_today as funds_today
from monitoring_api.deps import get_today as monitoring_today
from monitoring_api.elimination.enums import EliminationKind, EliminationStatus
from monitoring_api.elimination.models import Elimination
from monitoring_api.imports.models import HouseholdImport, ImportState
from monitoring_api.sector.models import CrosscheckJob, Discrepancy


async def seed_monitoring(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    world = await seed_places(client, session, token_for)
    district = token_for("district", DISTRICT, subject="authz-seed")
    key = await _department_key(session)
    batch = await created(
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
    household = await created(
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
    assessment = await created(
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
    case = await created(
        await client.post(
            "/inclusion-cases",
            json={"household_id": hid, "channel": "农户自主申报", "clue_date": "2024-06-10", "clue_note": "本人申请"},
            headers=district,
        )
    )
    world.add("inclusion case", Record(relation, code, {"case_id": case["id"]}, paired=paired))
    measure = await created(
        await client.post(
            f"{url}/measures",
            json={"category": "产业帮扶", "sub_type": "种植业", "owner": "王干部", "start_on": "2024-03-01"},
            headers=district,
        )
    )
    world.add("measure", Record(relation, code, {"measure_id": measure["id"]}, paired=paired))
    lookback = await created(
        await client.post(f"{url}/lookbacks", json={"due_on": "2024-07-01", "reason": "回头看"}, headers=district)
    )
    world.add("lookback", Record(relation, code, {"lookback_id": lookback["id"]}, paired=paired))
    cadre = CADRE if paired else f"authz-other-{serial}"
    pairing = await created(
        await client.post(
            "/pairings",
            json={"household_id": hid, "cadre_user_id": cadre, "cadre_name": "结对干部", "since": "2024-01-01"},
            headers=district,
        )
    )
    world.add("pairing", Record(relation, code, {"pairing_id": pairing["id"]}, paired=paired))
    visit = await created(
        await client.post(f"{url}/visits", json={"visited_on": "2024-06-01", "findings": "正常"}, headers=district)
    )
    world.add("visit", Record(relation, code, {"visit_id": visit["id"]}, paired=paired))
    await created(await client.put(f"{url}/income/2024", json={"wage_income": "30000"}, headers=district))
    add("income", year=2024)
    mark = await created(
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
    upload = HouseholdImport(
        region_code=code,
        requested_by="user:authz-seed",
        requested_role="village",
        mode="strict",
        content=b"\xe6\x88\xb7\xe7\xbc\x96\xe5\x8f\xb7\n",
        state=ImportState.done,
        rows_estimated=0,
        rows_read=0,
        rows_accepted=0,
        rows_refused=0,
    )
    session.add_all([elimination, discrepancy, upload])
    await session.flush()
    world.add("import job", Record(relation, code, {"job_id": upload.id}, paired=paired))
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


@dataclass(frozen=True)
class ServiceSeed:
    seed: Callable[[httpx.AsyncClient, AsyncSession, Tokens], Awaitable[World]]
    today_dependency: Callable[[], Awaitable[date]]
    today: date


async def seed_worker(client: httpx.AsyncClient, session: AsyncSession, token_for: Tokens) -> World:
    """The places and a conflict waiting for the district (the worker's API holds no regional records: the inbox is
    each person's own, the sync the district's)."""
    world = await seed_places(client, session, token_for)
    update = {"seq": 1, "type": "assistance_status", "household_local_id": 1, "assistance_status": "帮扶中"}
    session.add(InboundUpdate(seq=1, type="assistance_status", household_local_id=1, payload=update, status="冲突"))
    await session.flush()
    conflict = Conflict(seq=1, household_local_id=1, local_changes=[], province_update=update)
    session.add(conflict)
    await session.flush()
    world.add("conflict", Record("district", DISTRICT, {"conflict_id": conflict.id}))
    return world


async def _worker_today() -> date:
    """The worker's API has no today of its own; the matrix overrides this one, which no route reads."""
    return TODAY


SEEDS: dict[str, ServiceSeed] = {
    "monitoring": ServiceSeed(seed_monitoring, monitoring_today, TODAY),
    "funds": ServiceSeed(seed_funds, funds_today, date(2026, 3, 2)),
    "employment": ServiceSeed(seed_employment, employment_today, date(2026, 3, 2)),
    "worker": ServiceSeed(seed_worker, _worker_today, TODAY),
}
