"""funds-api as a hostile client meets it, value by value: far days and months, amounts, blank or unknown fields, bad
shapes — a 422 naming the field, never a 500, nothing written (ids, places, headers, filters: test_hostile_access)."""

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from conftest import VILLAGE

from .conftest import Clock, Staff
from .helpers import approved_project, create_source, project_body, source_body
from .test_assets import asset, completed
from .test_credit_loans import loan_body
from .test_entities import credit_code, make_entity

FAR_DAYS = ["0001-01-01", "9999-12-31"]
# The tables a bad body must leave as they were.
COUNTED = ("fund_source", "business_entity", "industrial_base", "asset")


async def counts(connection: AsyncConnection) -> list[int]:
    return [int(await connection.scalar(text(f"SELECT count(*) FROM funds.{table}")) or 0) for table in COUNTED]


def field_of(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return str(response.json()["errors"][0]["field"])


@pytest.mark.parametrize("day", FAR_DAYS)
@pytest.mark.parametrize(
    ("path", "query", "name"),
    [
        ("/assets/upkeep/overdue", {}, "on"),
        ("/assets/overview", {}, "on"),
        ("/loans/due", {}, "on"),
        ("/project-library/2026", {}, "on"),
        ("/disbursement/by-town", {}, "as_of"),
        ("/reports/monthly", {}, "as_of"),
        ("/fund-sources/central-industry-share", {"year": 2026}, "as_of"),
    ],
)
async def test_a_day_outside_the_plan_years_is_a_422_on_every_dated_query(
    funds: httpx.AsyncClient, staff: Staff, path: str, query: dict[str, Any], name: str, day: str
) -> None:
    response = await funds.get(path, params={**query, name: day}, headers=staff.district)
    assert (response.status_code, field_of(response)) == (422, f"query.{name}")


@pytest.mark.parametrize("month", ["0000-01", "1999-12", "2101-01", "２０２６-03", "2026-13"])
async def test_a_pv_month_outside_the_plan_years_is_a_422(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection, month: str
) -> None:
    project = await completed(funds, staff, clock, [asset()])
    station = (await funds.get("/assets", params={"project_id": project["id"]}, headers=staff.village)).json()
    body = {"month": month, "output_kwh": "1.00", "income": "1.00"}
    response = await funds.post(f"/assets/{station['items'][0]['id']}/pv-output", json=body, headers=staff.village)
    assert (response.status_code, field_of(response)) == (422, "body.month")
    assert await connection.scalar(text("SELECT count(*) FROM funds.pv_output")) == 0


@pytest.mark.parametrize("day", FAR_DAYS)
@pytest.mark.parametrize("case", ["source", "source correction", "entity", "base"])
async def test_a_day_outside_the_plan_years_in_a_body_is_a_422(
    funds: httpx.AsyncClient, staff: Staff, connection: AsyncConnection, case: str, day: str
) -> None:
    source = await create_source(funds, staff.district)
    entity = await make_entity(funds, staff.village)
    before = await counts(connection)
    method, path, body, headers, field = {
        "source": ("POST", "/fund-sources", source_body(received_on=day), staff.district, "received_on"),
        "source correction": (
            "PATCH",
            f"/fund-sources/{source['id']}",
            {"received_on": day},
            {**staff.district, "If-Match": '"1"'},
            "received_on",
        ),
        "entity": (
            "POST",
            "/entities",
            {
                "name": "谢岗合作社",
                "kind": "农民合作社",
                "credit_code": credit_code(),
                "region_code": VILLAGE,
                "established_on": day,
            },
            staff.village,
            "established_on",
        ),
        "base": (
            "POST",
            "/industrial-bases",
            {
                "name": "基地",
                "entity_id": entity["id"],
                "region_code": VILLAGE,
                "industry": "蔬菜",
                "established_on": day,
            },
            staff.village,
            "established_on",
        ),
    }[case]
    response = await funds.request(method, path, json=body, headers=headers)
    assert (response.status_code, field_of(response)) == (422, f"body.{field}")
    assert await counts(connection) == before
    assert (await funds.get(f"/fund-sources/{source['id']}", headers=staff.district)).json()["received_on"] is None


async def test_an_asset_is_neither_formed_nor_disposed_of_after_today(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection
) -> None:
    project = await completed(funds, staff, clock, [asset()])  # completed 2026-03-10, today 2026-03-12
    tomorrow = "2026-03-13"
    before = await counts(connection)
    formed = {**asset(name="冷库"), "project_id": project["id"], "formed_on": tomorrow}
    response = await funds.post("/assets", json=formed, headers=staff.village)
    assert (response.status_code, field_of(response)) == (422, "body.formed_on")
    assert "今天" in response.json()["detail"]
    assert await counts(connection) == before

    (kept,) = (await funds.get("/assets", params={"project_id": project["id"]}, headers=staff.village)).json()["items"]
    response = await funds.patch(
        f"/assets/{kept['id']}", json={"disposed_on": tomorrow}, headers={**staff.village, "If-Match": '"1"'}
    )
    assert (response.status_code, field_of(response)) == (422, "body.disposed_on")
    ledger = (await funds.get("/assets/ledger", params={"level": "村级"}, headers=staff.village)).json()
    assert ledger["assets"] == 1  # still on the ledger


@pytest.mark.parametrize("field", ["name", "document_number", "amount"])
async def test_clearing_a_required_field_of_a_fund_source_is_a_422(
    funds: httpx.AsyncClient, staff: Staff, field: str
) -> None:
    source = await create_source(funds, staff.district)
    path = f"/fund-sources/{source['id']}"
    response = await funds.patch(path, json={field: None, "note": "改"}, headers={**staff.district, "If-Match": '"1"'})
    assert (response.status_code, field_of(response)) == (422, f"body.{field}")
    assert response.json()["errors"][0]["message"] == "不能清空"
    read = await funds.get(path, headers=staff.district)
    assert (read.json()[field], read.json()["note"], read.headers["ETag"]) == (source[field], None, '"1"')


@pytest.mark.parametrize(
    ("sent", "kept"), [("1E+2", "100.00"), ("100.5", "100.50"), (100.5, "100.50"), ("100", "100.00")]
)
async def test_a_written_amount_is_answered_as_it_is_read_back(
    funds: httpx.AsyncClient, staff: Staff, sent: object, kept: str
) -> None:
    created = await funds.post("/fund-sources", json=source_body(amount=sent), headers=staff.district)
    assert created.status_code == 201 and created.json()["amount"] == kept
    assert (await funds.get(created.headers["Location"], headers=staff.district)).json()["amount"] == kept


@pytest.mark.parametrize("budget", ["500000.0", "5E+5", 500000])
async def test_a_change_to_the_same_budget_written_otherwise_changes_nothing(
    funds: httpx.AsyncClient, staff: Staff, clock: Clock, connection: AsyncConnection, budget: object
) -> None:
    project = await approved_project(funds, staff, clock)  # budget 500000.00
    body = {"after": {"budget": budget}, "reason": "调整预算"}
    response = await funds.post(f"/projects/{project['id']}/changes", json=body, headers=staff.village)
    assert (response.status_code, response.json()["rule"]) == (422, "change-changes-something")
    assert await connection.scalar(text("SELECT count(*) FROM funds.project_change")) == 0


BAD_BODIES: list[tuple[Any, str]] = [
    *[
        (source_body(amount=amount), "body.amount")
        for amount in ["NaN", "Infinity", "-Infinity", "sNaN", "1e400", 1e20, "0.001", "-5", "-0", "0", "1,000.00", ""]
    ],
    *[(source_body(amount=amount), "body.amount") for amount in [True, None, [], {}]],
    *[(source_body(level=level), "body.level") for level in ["县", "central", "中央 ", "", None]],
    (source_body(name="名" * 201), "body.name"),
    (source_body(document_number=""), "body.document_number"),
    (source_body(year=2**63), "body.year"),
    ([source_body()], "body"),
    (None, "body"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
async def test_a_bad_value_or_shape_is_a_422_naming_it_and_writes_nothing(
    funds: httpx.AsyncClient, staff: Staff, connection: AsyncConnection, body: Any, field: str
) -> None:
    response = await funds.post("/fund-sources", json=body, headers=staff.district)
    assert (response.status_code, field_of(response)) == (422, field)
    assert await counts(connection) == [0, 0, 0, 0]


@pytest.mark.parametrize(
    ("path", "body", "extra"),
    [
        ("/fund-sources", source_body(), {"allocated": "5.00"}),
        ("/fund-sources", source_body(), {"region_code": VILLAGE}),
        ("/projects", project_body(), {"status": "已入库"}),
        ("/projects", project_body(), {"progress": "已完工"}),
        (
            "/allocations",
            {"fund_source_id": 1, "project_id": 1, "amount": "1.00", "allocated_on": "2026-03-02"},
            {"paid": "1.00"},
        ),
        (
            "/projects/1/payments",
            {"allocation_id": 1, "amount": "1.00", "paid_on": "2026-03-02", "voucher_number": "记-1"},
            {"project_id": 2},
        ),
        ("/assets", {**asset(), "project_id": 1}, {"disposed_on": "2026-03-02"}),
        (
            "/entities",
            {
                "name": "社",
                "kind": "农民合作社",
                "credit_code": "93360702MA0000001X",
                "region_code": VILLAGE,
                "established_on": "2022-03-01",
            },
            {"closed_on": "2022-03-02"},
        ),
        ("/loans", loan_body("11010519491231002X"), {"status": "已结清"}),
    ],
)
async def test_a_field_a_create_does_not_take_is_a_422_not_silently_dropped(
    funds: httpx.AsyncClient, staff: Staff, path: str, body: dict[str, Any], extra: dict[str, Any]
) -> None:
    headers = staff.district if path.startswith(("/fund-sources", "/allocations", "/projects/")) else staff.village
    response = await funds.post(path, json={**body, **extra}, headers=headers)
    assert (response.status_code, field_of(response)) == (422, f"body.{next(iter(extra))}")


@pytest.mark.parametrize("blank", ["   ", "\u3000\t"])  # ASCII spaces; a full-width space and a tab
@pytest.mark.parametrize("case", ["source", "project", "entity", "base", "loan", "source correction"])
async def test_a_text_of_only_spaces_is_refused_as_an_empty_one(
    funds: httpx.AsyncClient, staff: Staff, connection: AsyncConnection, case: str, blank: str
) -> None:
    source = await create_source(funds, staff.district)
    entity = await make_entity(funds, staff.village)
    before = await counts(connection)
    projects = await connection.scalar(text("SELECT count(*) FROM funds.project"))
    method, path, body, headers, field = {
        "source": ("POST", "/fund-sources", source_body(name=blank), staff.district, "name"),
        "source correction": (
            "PATCH",
            f"/fund-sources/{source['id']}",
            {"name": blank},
            {**staff.district, "If-Match": '"1"'},
            "name",
        ),
        "project": ("POST", "/projects", project_body(name=blank), staff.village, "name"),
        "entity": (
            "POST",
            "/entities",
            {"name": blank, "kind": "农民合作社", "credit_code": credit_code(), "region_code": VILLAGE},
            staff.village,
            "name",
        ),
        "base": (
            "POST",
            "/industrial-bases",
            {"name": blank, "entity_id": entity["id"], "region_code": VILLAGE, "industry": "蔬菜"},
            staff.village,
            "name",
        ),
        "loan": ("POST", "/loans", loan_body("11010519491231002X", bank=blank), staff.village, "bank"),
    }[case]
    empty = await funds.request(method, path, json={**body, field: ""}, headers=headers)
    response = await funds.request(method, path, json=body, headers=headers)
    assert (response.status_code, field_of(response)) == (422, f"body.{field}"), response.text
    assert empty.status_code == 422 and field_of(empty) == f"body.{field}"
    message = response.json()["errors"][0]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert await counts(connection) == before
    assert await connection.scalar(text("SELECT count(*) FROM funds.project")) == projects
    assert (await funds.get(f"/fund-sources/{source['id']}", headers=staff.district)).json()["name"] == source["name"]
