"""Every XLSX export of a list is audited once in its service's own audit log (who, which list, which filters, how
many rows), readable through that service's audit API; a JSON read of the list and a refused export write nothing."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from authz_seeds import SEEDS
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, TOWN, VILLAGE
from dixian_shared import idnumber, xlsx
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
# One filtered list per service, exported by a town user for one of its villages.
LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "monitoring": ("/households", {"category": "脱贫户", "region_code": VILLAGE}),
    "funds": ("/projects", {"year": "2026", "region_code": VILLAGE}),
    "employment": ("/positions", {"kind": "公益性岗位", "region_code": VILLAGE}),
}


async def _exports(session: AsyncSession, tables: CommonTables) -> list[Any]:
    audit = tables.audit_log
    stmt = select(audit).where(audit.c.action == "export").order_by(audit.c.id)
    return list((await session.execute(stmt)).all())


@pytest.mark.parametrize("service", ["monitoring", "funds", "employment"])
async def test_an_export_is_audited_once_with_its_list_filters_and_rows_and_a_json_read_is_not(
    service: str,
    service_apps: dict[str, FastAPI],
    session_on: Callable[[CommonTables], AsyncSession],
    token_for: Tokens,
) -> None:
    app = service_apps[service]
    seed = SEEDS[service]
    app.dependency_overrides[seed.today_dependency] = lambda: seed.today
    path, params = LISTS[service]
    town = token_for("town", TOWN, subject="exporter")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as client:
        session = session_on(TABLES[service])
        await seed.seed(client, session, token_for)
        await session.commit()

        listed = await client.get(path, params={**params, "limit": 200}, headers=town)
        assert listed.status_code == 200, listed.text
        assert await _exports(session, TABLES[service]) == []  # a JSON read discloses one page: no export row
        rows = len(listed.json()["items"])
        assert rows > 0

        exported = await client.get(path, params={**params, "format": "xlsx"}, headers=town)
        assert exported.status_code == 200, exported.text
        assert exported.headers["content-type"].startswith(xlsx.MEDIA_TYPE)
        (entry,) = await _exports(session, TABLES[service])
        who = ("user:exporter", "town", "export", path)
        assert (entry.actor, entry.actor_role, entry.entity, entry.entity_id) == who
        assert entry.changes["path"] == path
        assert entry.changes["filters"] == params
        assert entry.changes["rows"] == rows
        assert entry.changes["region_code"] == TOWN

        district = token_for("district", DISTRICT)
        trail = await client.get("/audit", params={"entity": "export", "entity_id": path}, headers=district)
        assert trail.status_code == 200, trail.text
        assert [(e["actor"], e["changes"]["rows"]) for e in trail.json()["items"]] == [("user:exporter", rows)]


async def test_a_list_of_two_sheets_counts_the_rows_of_each_and_the_accept_header_export_is_audited_too(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[[CommonTables], AsyncSession]
) -> None:
    village = token_for("village", VILLAGE)
    for n in range(3):
        members = [
            {"id_number": idnumber.make(f"36070219800101{n}{m}5"), "name": f"成员{m}",
             "relation": "户主" if m == 0 else "之子", "labour_skill": "普通劳动力"}
            for m in range(n + 1)
        ]  # fmt: skip
        body = {"region_code": VILLAGE, "head_name": "成员0", "category": "脱贫户", "members": members}
        assert (await monitoring.post("/households", json=body, headers=village)).status_code == 201, n

    accept = {**village, "Accept": xlsx.MEDIA_TYPE}
    exported = await monitoring.get("/households", params={"limit": 1}, headers=accept)
    assert exported.status_code == 200, exported.text
    (entry,) = await _exports(session_on(MONITORING_TABLES), MONITORING_TABLES)
    assert entry.changes["filters"] == {}  # paging is how the list is read, not which rows
    assert entry.changes["rows"] == 3
    assert entry.changes["sheets"] == {"农户": 3, "家庭成员": 6}


@pytest.mark.parametrize(
    ("service", "role"), [("monitoring", "cadre"), ("funds", "cadre"), ("employment", "department")]
)
async def test_a_refused_export_writes_no_audit_row(
    service: str,
    role: str,
    service_apps: dict[str, FastAPI],
    session_on: Callable[[CommonTables], AsyncSession],
    token_for: Tokens,
) -> None:
    path, params = LISTS[service]
    transport = httpx.ASGITransport(app=service_apps[service], raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as client:
        refused = await client.get(path, params={**params, "format": "xlsx"}, headers=token_for(role, VILLAGE))
    assert refused.status_code == 403, refused.text
    audit = TABLES[service].audit_log
    count = select(func.count()).select_from(audit).where(audit.c.action == "export")
    assert (await session_on(TABLES[service]).execute(count)).scalar_one() == 0
