"""Every list a village, town or district works from downloads as XLSX: read back with python-calamine, each
export holds the JSON list's rows (all pages, the same filters, the same masking) under Chinese headings."""

import io
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from python_calamine import CalamineWorkbook

from conftest import DISTRICT, TOWN, VILLAGE
from dixian_shared.exports import columns
from dixian_shared.testing.export_check import assert_same_rows, json_items, workbook
from monitoring_api.app import ROUTERS
from monitoring_api.labels import FIELD_LABELS
from monitoring_api.models import COMMON

from .helpers import member, person_id
from .inclusion_steps import open_case
from .test_elimination import eligible
from .test_measure_helpers import Sessions, Tokens, make_household, set_today, worker
from .test_sector_helpers import TODAY as SECTOR_TODAY
from .test_sector_helpers import add_household, department_key, person, pid, push, run_job

TODAY = date(2025, 7, 16)
INCLUDED = date(2025, 1, 15)


def _exports() -> list[tuple[str, Any]]:
    return [
        (route.path, route.endpoint.export)
        for router in ROUTERS
        for route in router.routes
        if hasattr(getattr(route, "endpoint", None), "export")
    ]


def test_every_export_column_has_a_chinese_heading() -> None:
    paths = {path for path, _ in _exports()}
    assert {
        "/households",
        "/warnings",
        "/assessments",
        "/assessments/overdue",
        "/inclusion-cases",
        "/inclusion-cases/late",
        "/measures",
        "/measures/flags",
        "/eliminations",
        "/visits/overdue",
        "/discrepancies",
        "/special-groups/{kind}",
        "/overview",
    } <= paths
    for path, (_sheet, model, extra) in _exports():
        for row_model in filter(None, (model, extra)):
            unlabelled = [name for name in columns(row_model) if name not in FIELD_LABELS]
            assert not unlabelled, (path, unlabelled)


@pytest.fixture
async def seeded(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, monitoring_app: FastAPI
) -> None:
    """Subjects included half a year ago (flagged, overdue for visits, at risk > 6 months), one being eliminated,
    assessments with one overdue 持续关注, late inclusion cases, measures and a guarantee-line warning."""
    session = session_on(COMMON)
    set_today(monitoring_app, TODAY)
    village = token_for("village", VILLAGE)
    for _ in range(3):
        await make_household(monitoring, token_for, session, included_on=INCLUDED)
    for _ in range(2):
        eliminated = await eligible(monitoring, token_for, session)
    body = {"kind": "帮扶消除", "risk_resolved": True, "risk_note": "务工收入稳定"}
    opened = await monitoring.post(f"/households/{eliminated}/eliminations", json=body, headers=village)
    assert opened.status_code == 201, opened.text
    for month, outcome in (("2025-05", "持续关注"), ("2025-07", "无风险")):
        hid = await make_household(monitoring, token_for, session, category="一般农户")
        assessment = {
            "household_id": hid,
            "month": month,
            "outcome": outcome,
            "risk_causes": ["因病"] if outcome == "持续关注" else [],
            "reasons": "户主住院",
            "assessed_on": f"{month}-10",
        }
        assert (await monitoring.post("/assessments", json=assessment, headers=village)).status_code == 201
    for _ in range(3):
        await open_case(monitoring, token_for)
    uninsured = member(id_number=person_id("19990101"), relation="之子", labour_skill="无劳动力", medical_insured=False)
    hid = await make_household(monitoring, token_for, session, members=[worker(), uninsured], phone="13912345678")
    assert (await monitoring.post(f"/households/{hid}/warnings/recompute", headers=village)).status_code == 200


LISTS = [
    ("/households", {}),
    ("/households", {"category": "脱贫不稳定户"}),
    ("/warnings", {}),
    ("/assessments", {}),
    ("/assessments/overdue", {}),
    ("/inclusion-cases", {}),
    ("/inclusion-cases/late", {}),
    ("/measures", {}),
    ("/measures/flags", {}),
    ("/eliminations", {}),
    ("/visits/overdue", {}),
    ("/special-groups/超过6个月未取消风险", {}),
]


@pytest.mark.parametrize(("path", "params"), LISTS, ids=[f"{p}{q}" for p, q in LISTS])
async def test_an_export_holds_the_rows_of_the_json_list(
    monitoring: httpx.AsyncClient, token_for: Tokens, seeded: None, path: str, params: dict[str, str]
) -> None:
    for headers in (token_for("village", VILLAGE), token_for("town", TOWN)):
        items = await json_items(monitoring, path, headers, params)
        assert items, f"the seed leaves {path} empty"
        book = await workbook(monitoring, path, headers, params)
        rows = book.get_sheet_by_index(0).to_python()
        assert_same_rows(rows, [{k: v for k, v in i.items() if k != "version"} for i in items], FIELD_LABELS)


async def test_the_household_export_lists_the_members_masked(
    monitoring: httpx.AsyncClient, token_for: Tokens, seeded: None
) -> None:
    headers = token_for("village", VILLAGE)
    households = await json_items(monitoring, "/households", headers, {"category": "脱贫不稳定户"})
    book = await workbook(monitoring, "/households", headers, {"category": "脱贫不稳定户"})
    assert book.sheet_names == ["农户", "家庭成员"]
    members = book.get_sheet_by_name("家庭成员").to_python()
    header, rows = members[0], members[1:]
    ids = {h["id"] for h in households}
    expected = [
        m
        for h in households
        for m in (await monitoring.get(f"/households/{h['id']}", headers=headers)).json()["members"]
    ]
    assert len(rows) == len(expected) > len(ids)  # one household has two members
    number = header.index("身份证号")
    for sheet_row, full in zip(rows, expected, strict=True):
        assert int(sheet_row[header.index("农户编号")]) in ids
        assert sheet_row[number] == full["id_number"][:6] + "********" + full["id_number"][-4:]


async def test_xlsx_is_also_chosen_by_the_accept_header_and_json_stays_the_default(
    monitoring: httpx.AsyncClient, token_for: Tokens, seeded: None
) -> None:
    headers = token_for("village", VILLAGE)
    accept = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = await monitoring.get("/measures", headers={**headers, "Accept": accept})
    assert response.headers["content-type"] == accept
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert len(rows) - 1 == len(await json_items(monitoring, "/measures", headers, {}))
    assert (await monitoring.get("/measures", headers=headers)).headers["content-type"] == "application/json"


async def test_a_workbook_refused_with_q_0_is_not_sent_and_a_client_accepting_neither_gets_a_406(
    monitoring: httpx.AsyncClient, token_for: Tokens, seeded: None
) -> None:
    headers = token_for("village", VILLAGE)
    refused = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0"
    for accept in (refused, f"{refused}, application/json"):
        response = await monitoring.get("/measures", headers={**headers, "Accept": accept})
        assert response.headers["content-type"] == "application/json", accept
        assert response.json()["items"]
    response = await monitoring.get("/measures", headers={**headers, "Accept": "text/html"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_overview_export_spreads_its_counts_over_columns(
    monitoring: httpx.AsyncClient, token_for: Tokens, seeded: None
) -> None:
    headers = token_for("district", DISTRICT)
    overview = (await monitoring.get("/overview", headers=headers)).json()
    rows = (await workbook(monitoring, "/overview", headers, {})).get_sheet_by_index(0).to_python()
    header, data = rows[0], rows[1:]
    assert len(data) == len(overview["children"]) + 1
    by_code = {r[header.index("行政区划代码")]: r for r in data}
    for region in [*overview["children"], overview["total"]]:
        sheet_row = by_code[region["region_code"]]
        assert sheet_row[header.index("户数")] == region["households"]
        for category, count in region["by_category"].items():
            assert sheet_row[header.index(f"户类别·{category}")] == count
        for line, grades in region["warnings"].items():
            for grade, count in grades.items():
                assert sheet_row[header.index(f"预警·{line}·{grade}")] == count


async def test_the_discrepancy_export_holds_the_list(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, monitoring_app: FastAPI
) -> None:
    set_today(monitoring_app, SECTOR_TODAY)
    people = [pid("19700101") for _ in range(3)]
    await add_household(monitoring, token_for, [person(p) for p in people], region_code=VILLAGE)
    key = await department_key(session_on, "medical_enrolment")
    batch_id, _ = await push(
        monitoring, key, "medical_enrolment", [{"id_number": pid(), "scheme": "城乡居民基本医疗保险"}]
    )
    await run_job(session_on, batch_id)
    headers = token_for("village", VILLAGE)
    items = await json_items(monitoring, "/discrepancies", headers, {})
    assert len(items) >= 3
    rows = (await workbook(monitoring, "/discrepancies", headers, {})).get_sheet_by_index(0).to_python()
    assert_same_rows(rows, [{k: v for k, v in i.items() if k != "version"} for i in items], FIELD_LABELS)
