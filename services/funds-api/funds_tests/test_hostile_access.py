"""funds-api as a hostile client meets it, beyond bad values: ids of no record or of another place, reports on another
town, If-Match and Idempotency-Key misuse, bad list filters and what the workflow decides. Always a 4xx problem,
never a 500, nothing written."""

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from conftest import OTHER_TOWN_VILLAGE, VILLAGE

from .conftest import Clock, Staff
from .helpers import approved_project, declare, source_body
from .test_assets import asset, completed
from .test_hostile_input import counts, field_of


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        (None, 428),
        ('"0"', 412),  # stale
        ('W/"1"', 412),  # weak: If-Match compares strongly (RFC 9110 §13.1.1), so even the current version fails
        (' "1" ', 200),
        ("*", 422),
        ('"1", "2"', 422),
        ('"abc"', 422),
        ('"-1"', 422),
        ('"99999999999"', 422),
        (b'"\xb2"', 422),  # Latin-1 superscript two: a digit to str.isdigit(), not to int()
        (b'"1\xb9"', 422),
    ],
)
async def test_if_match_missing_stale_weak_or_malformed(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, if_match: str | bytes | None, status: int
) -> None:
    project = await declare(funds, staff.village)
    headers: dict[str, Any] = dict(staff.village)
    if if_match is not None:
        headers["If-Match"] = if_match
    response = await funds.patch(f"/projects/{project['id']}", json={"description": "改"}, headers=headers)
    assert response.status_code == status, response.text
    if status == 422:
        assert field_of(response) == "header.If-Match"
    read = (await funds.get(f"/projects/{project['id']}", headers=staff.village)).json()
    assert read["description"] == ("改" if status == 200 else None)


@pytest.mark.parametrize("who", ["village", "town"])
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/disbursement/by-town", {}),
        ("/disbursement/by-department", {}),
        ("/disbursement/by-fund-source", {"format": "xlsx"}),
        ("/assets/ledger", {"level": "村级"}),
        ("/pv-stations/output", {"year": 2026}),
    ],
)
async def test_a_report_on_another_towns_village_is_a_404_not_zeros(
    funds: httpx.AsyncClient, staff: Staff, connection: AsyncConnection, who: str, path: str, query: dict[str, Any]
) -> None:
    headers = getattr(staff, who)
    foreign = await funds.get(path, params={**query, "region_code": OTHER_TOWN_VILLAGE}, headers=headers)
    assert (foreign.status_code, foreign.json()["params"]["entity"]) == (404, "region")
    assert await connection.scalar(text("SELECT count(*) FROM funds.audit_log WHERE entity = 'export'")) == 0
    assert (await funds.get(path, params={**query, "region_code": VILLAGE}, headers=headers)).status_code == 200


@pytest.mark.parametrize("record", ["-1", "1e3", str(2**63), str(2**62)])
@pytest.mark.parametrize("path", ["/projects/{}", "/fund-sources/{}", "/assets/{}", "/loans/{}", "/project-changes/{}"])
async def test_an_id_that_is_no_record_is_a_404_or_a_422_naming_it(
    funds: httpx.AsyncClient, staff: Staff, path: str, record: str
) -> None:
    response = await funds.get(path.format(record), headers=staff.district)
    if record == str(2**62):
        assert response.status_code == 404
    else:
        assert response.status_code == 422 and field_of(response).startswith("path.")


async def test_another_places_records_answer_404_on_every_route_and_stay_as_they_were(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    project = await completed(funds, staff, clock, [asset()])  # 谢岗村, completed 2026-03-10
    (kept,) = (await funds.get("/assets", params={"project_id": project["id"]}, headers=staff.village)).json()["items"]
    p, a = f"/projects/{project['id']}", f"/assets/{kept['id']}"
    cases = [
        ("GET", p, None),
        ("PATCH", p, {"description": "改"}),
        ("GET", f"{p}/history", None),
        ("GET", f"{p}/notice", None),
        ("GET", f"{p}/reviews", None),
        ("POST", f"{p}/changes", {"after": {"description": "改"}, "reason": "改"}),
        ("GET", a, None),
        ("PATCH", a, {"note": "改"}),
        ("GET", f"{a}/upkeep", None),
        ("POST", f"{a}/income", {"received_on": "2026-03-11", "amount": "1.00", "source": "租金"}),
        ("POST", f"{a}/surveys", {"surveyed_on": "2026-03-11", "condition": "闲置", "cause": "停用"}),
    ]
    before = await connection.scalar(text("SELECT count(*) FROM funds.audit_log"))
    as_read = [(await funds.get(path, headers=staff.village)).json() for path in (p, a)]
    for headers in (staff.other_village, staff.other_town_village, staff.other_town):
        for method, path, body in cases:
            response = await funds.request(method, path, json=body, headers={**headers, "If-Match": '"1"'})
            assert response.status_code == 404, (method, path, response.text)
            assert str(project["id"] if path.startswith(p) else kept["id"]) in response.json()["detail"]
    assert await connection.scalar(text("SELECT count(*) FROM funds.audit_log")) == before
    assert [(await funds.get(path, headers=staff.village)).json() for path in (p, a)] == as_read


async def test_an_idempotency_key_replays_the_same_request_and_refuses_another(
    funds: httpx.AsyncClient, staff: Staff, connection: AsyncConnection
) -> None:
    body, headers = source_body(), {**staff.district, "Idempotency-Key": "source-1"}
    failed = await funds.post("/fund-sources", json={**body, "amount": "-1"}, headers=headers)
    assert failed.status_code == 422  # a refused request leaves the key free
    first = await funds.post("/fund-sources", json=body, headers=headers)
    again = await funds.post("/fund-sources", json=body, headers=headers)
    assert (first.status_code, again.status_code, again.headers["Idempotent-Replayed"]) == (201, 201, "true")
    assert (again.json(), again.headers["ETag"], again.headers["Location"]) == (
        first.json(),
        first.headers["ETag"],
        first.headers["Location"],
    )
    other = await funds.post("/fund-sources", json={**body, "amount": "5.00"}, headers=headers)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency-key-reused")
    assert await counts(connection) == [1, 0, 0, 0]


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        *[("/projects", {"limit": limit}, "query.limit") for limit in ["0", "501", "1.5", str(2**64)]],
        ("/projects", {"status": "已批准"}, "query.status"),
        ("/projects", {"type": "industry"}, "query.type"),
        ("/projects", {"region_code": "36070219120"}, "query.region_code"),
        ("/projects", {"owner_department": "部" * 51}, "query.owner_department"),
        ("/projects", {"owner_department": "区\x00农办"}, "query.owner_department"),
        ("/audit", {"entity_id": "\x00"}, "query.entity_id"),
        ("/projects", {"format": "csv"}, "query.format"),
        ("/fund-sources", {"level": "县", "format": "xlsx"}, "query.level"),
        ("/allocations", {"project_id": str(2**63), "format": "xlsx"}, "query.project_id"),
        ("/payments", {"cursor": "不是游标", "format": "xlsx"}, "query.cursor"),
        ("/assets", {"ledger_level": "省级", "format": "xlsx"}, "query.ledger_level"),
        ("/asset-surveys", {"state": "done"}, "query.state"),
        ("/loans", {"status": "逾期"}, "query.status"),
        ("/project-changes", {"project_id": "0"}, "query.project_id"),
        ("/entities", {"year": "1999"}, "query.year"),
        ("/disbursement/projects", {"lagging": "maybe", "format": "xlsx"}, "query.lagging"),
    ],
)
async def test_a_list_or_export_with_a_bad_limit_or_filter_is_a_422_naming_it(
    funds: httpx.AsyncClient, staff: Staff, connection: AsyncConnection, path: str, query: dict[str, str], field: str
) -> None:
    response = await funds.get(path, params=query, headers=staff.district)
    assert (response.status_code, field_of(response)) == (422, field)
    assert await connection.scalar(text("SELECT count(*) FROM funds.audit_log WHERE entity = 'export'")) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"status": "已入库"},
        {"budget": "1.00"},
        {"progress": "已完工"},
        {"completed_on": "2026-03-10"},
        {"decided_on": "2026-03-10"},
        {"region_code": VILLAGE},
        {"version": 9},
    ],
)
async def test_what_the_workflow_decides_is_not_patched(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, body: dict[str, Any]
) -> None:
    project = await approved_project(funds, staff, clock)
    path = f"/projects/{project['id']}"
    response = await funds.patch(path, json=body, headers={**staff.village, "If-Match": f'"{project["version"]}"'})
    assert (response.status_code, field_of(response)) == (422, f"body.{next(iter(body))}")
    assert (await funds.get(path, headers=staff.village)).json() == project
