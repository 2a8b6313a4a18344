"""Personal data: no list or export of any service shows a full resident ID number or mobile number; a single
record shows them in full only to the roles that need them, and that read is audited (who read whom, when)."""

import io
import re
import zipfile
from collections.abc import Callable

import httpx
import pytest
from authz_seeds import SEEDS
from authz_world import World
from fastapi import FastAPI
from route_walk import Operation, list_operations
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, TOWN, VILLAGE
from dixian_shared.auth.api_keys import new_key
from dixian_shared.identity.models import ApiKey
from dixian_shared.personal import mask_id_number, mask_personal, mask_phone
from dixian_shared.tables import CommonTables
from employment_api.models import COMMON as EMPLOYMENT_TABLES
from funds_api.models import COMMON as FUNDS_TABLES
from monitoring_api.models import COMMON as MONITORING_TABLES

Tokens = Callable[..., dict[str, str]]
TABLES: dict[str, CommonTables] = {
    "monitoring": MONITORING_TABLES,
    "funds": FUNDS_TABLES,
    "employment": EMPLOYMENT_TABLES,
}
# Standing alone, not inside a longer run of letters and digits such as a SHA-256 digest in an audit row.
FULL_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
FULL_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")


def _path_ids(world: World) -> dict[str, object]:
    ids: dict[str, object] = {"year": 2024, "kind": "家庭劳动力不足", "month": "2026-02", "code": VILLAGE}
    for records in world.records.values():
        for record in records:
            if record.relation == "own village":
                for name, value in record.ids.items():
                    ids.setdefault(name, value)
    return ids


def _leaks(text: str) -> list[str]:
    return FULL_ID_NUMBER.findall(text) + FULL_MOBILE.findall(text)


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        return " ".join(workbook.read(name).decode() for name in workbook.namelist() if name.endswith(".xml"))


def test_the_leak_check_sees_numbers_standing_alone_not_inside_digests() -> None:
    assert _leaks('{"phone":"13900001234","id":"360702198001011238"}') == ["360702198001011238", "13900001234"]
    assert _leaks('"sha256":"13b46b07f3f17c3be8ef14862736304e9792705edf585e6e435b8eaff5279a81"') == []


def test_the_masks() -> None:
    assert mask_id_number("360702198001011238") == "360702********1238"
    assert mask_id_number("360702800101123") == "360702*****1123"  # an old 15-digit number
    assert mask_id_number("1234567890") == "**********"  # not an ID number: nothing of it shown
    assert mask_phone("13900001234") == "139****1234"
    assert mask_phone("0797-812345") == "****-**2345"
    assert mask_phone("１３９００００１２３４") == "１３９****１２３４"  # full-width: walked digit by digit
    record = {
        "phone": "13900001234",
        "members": [{"id_number": "360702198001011234"}],
        "note": "户 360702198001011234",
        "short": "1390000123",  # under 18 characters, no name that marks it personal: as it is
        "version": 3,
        "contact_phone": "13900001234",
        "tags": ("360702198001011234", 1),
    }
    assert mask_personal(record) == {
        "phone": "139****1234",
        "members": [{"id_number": "360702********1234"}],
        "note": "户 360702********1234",
        "short": "1390000123",
        "version": 3,
        "contact_phone": "139****1234",
        "tags": ["360702********1234", 1],
    }


@pytest.mark.parametrize("service", ["monitoring", "funds", "employment"])
async def test_no_list_and_no_export_shows_a_full_id_or_mobile_number(
    service: str,
    service_apps: dict[str, FastAPI],
    session_on: Callable[[CommonTables], AsyncSession],
    token_for: Tokens,
) -> None:
    app = service_apps[service]
    seed = SEEDS[service]
    app.dependency_overrides[seed.today_dependency] = lambda: seed.today
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as client:
        session = session_on(TABLES[service])
        world = await seed.seed(client, session, token_for)
        await session.commit()
        ids = _path_ids(world)
        readers = [token_for("district", DISTRICT), token_for("town", TOWN), token_for("village", VILLAGE)]
        failures: list[str] = []
        listed = 0
        for op in list_operations(app):
            for headers in readers:
                response = await client.get(op.url(ids), headers=headers)
                if response.status_code == 200:
                    listed += 1
                    failures += [f"{op.key}: {leak}" for leak in _leaks(response.text)]
                export = await client.get(op.url(ids), params={"format": "xlsx"}, headers=headers)
                if export.status_code == 200 and export.headers["content-type"].startswith("application/vnd"):
                    failures += [f"{op.key}?format=xlsx: {leak}" for leak in _leaks(_xlsx_text(export.content))]
        assert listed > 0
        assert not failures, "\n".join(sorted(set(failures))[:40])


def _operation(app: FastAPI, key: str) -> Operation:
    return next(op for op in list_operations(app) if op.key == key)


async def test_a_household_is_shown_in_full_to_its_staff_and_the_read_is_audited(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[[CommonTables], AsyncSession]
) -> None:
    member = {"id_number": "360702198001011238", "name": "张三", "relation": "户主", "labour_skill": "普通劳动力",
              "phone": "13900001234"}  # fmt: skip
    body = {"region_code": VILLAGE, "head_name": "张三", "category": "脱贫户", "members": [member]}
    created = await monitoring.post("/households", json=body, headers=token_for("village", VILLAGE))
    assert created.status_code == 201, created.text
    household_id = created.json()["id"]
    pairing = {"household_id": household_id, "cadre_user_id": "77", "since": "2024-01-01"}
    assert (await monitoring.post("/pairings", json=pairing, headers=token_for("village", VILLAGE))).status_code == 201

    staff = await monitoring.get(f"/households/{household_id}", headers=token_for("village", VILLAGE, subject="42"))
    assert staff.json()["members"][0]["id_number"] == "360702198001011238"
    assert staff.json()["members"][0]["phone"] == "13900001234"
    cadre = await monitoring.get(
        f"/paired-households/{household_id}", headers=token_for("cadre", VILLAGE, subject="77")
    )
    assert cadre.status_code == 200
    assert cadre.json()["members"][0]["id_number"] == "360702********1238"
    assert cadre.json()["members"][0]["phone"] == "139****1234"
    listed = await monitoring.get("/households", headers=token_for("village", VILLAGE))
    assert not _leaks(listed.text)

    audit = MONITORING_TABLES.audit_log
    reads = (
        await session_on(MONITORING_TABLES).execute(
            select(audit.c.actor, audit.c.actor_role, audit.c.entity, audit.c.entity_id).where(audit.c.action == "read")
        )
    ).all()
    assert [tuple(r) for r in reads] == [("user:42", "village", "household", str(household_id))]  # the cadre's: none


async def test_another_service_reads_the_numbers_in_full(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[[CommonTables], AsyncSession]
) -> None:
    member = {"id_number": "360702198001011238", "name": "张三", "relation": "户主", "labour_skill": "普通劳动力"}
    body = {"region_code": VILLAGE, "head_name": "张三", "category": "脱贫户", "members": [member]}
    assert (await monitoring.post("/households", json=body, headers=token_for("village", VILLAGE))).status_code == 201
    key, prefix, secret_hash = new_key()
    session = session_on(MONITORING_TABLES)
    session.add(ApiKey(prefix=prefix, secret_hash=secret_hash, name="employment-api", role="service",
                       region_code=DISTRICT, scopes=["registry.read"]))  # fmt: skip
    await session.commit()
    service = await monitoring.get("/service/members", headers={"X-API-Key": key})
    assert "360702198001011238" in service.text
    district = await monitoring.get("/service/members", headers=token_for("district", DISTRICT))
    assert district.status_code == 200
    assert not _leaks(district.text)
