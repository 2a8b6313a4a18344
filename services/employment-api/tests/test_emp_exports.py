"""employment-api's working lists download as XLSX: read back with python-calamine, each export holds the JSON
list's rows (every page, the same filters, ID numbers masked as the list masks them) under Chinese headings."""

from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from workforce_helpers import Sessions, Tokens, make_labourer, set_today

from conftest import OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared import idnumber
from dixian_shared.testing.export_check import (
    assert_chinese_headings,
    assert_export_matches,
    assert_same_rows,
    json_items,
    labels_for,
    workbook,
)
from employment_api.app import ROUTERS
from employment_api.models import COMMON

MONTH = "2026-10"
TODAY = date(2026, 10, 9)  # before the villages' deadline (the 15th)
WORKING = {"status": "务工", "place": "省外", "employer": "东莞电子厂", "monthly_income": "4500.50"}


def test_every_export_column_has_a_chinese_heading_of_its_own() -> None:
    assert {
        "/labourers",
        "/ledger/{month}/entries",
        "/ledger/{month}/status",
        "/targets/{month}",
        "/targets/{month}/people",
        "/targets/{month}/zero-employment-households",
        "/positions",
        "/positions/{position_id}/occupancies",
        "/occupancies",
        "/job-seekers",
        "/job-seekers/missing",
        "/training-surveys",
        "/training-surveys/overdue",
        "/trainings",
        "/trainings/{training_id}/attendance",
        "/attendance",
        "/yulu-participants",
        "/subsidies",
    } <= assert_chinese_headings(ROUTERS)


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> int:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture
async def workforce(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> dict[str, list[int]]:
    """Three labourers in one village and two in its neighbour, each village's month partly entered (one person
    working, one not), a job, a 131 registration, a six-month-old survey, a training attended and a subsidy in each
    village, a 雨露计划 student; the labourers by village."""
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    district = token_for("district", "360702000000")
    people: dict[str, list[int]] = {}
    training = await _post(
        employment,
        "/trainings",
        {"title": "电工技能培训班", "kind": "技能培训", "region_code": TOWN, "organizer": "区人社局",
         "start_on": "2026-05-11", "end_on": "2026-05-22", "hours": "80.0"},
        token_for("town", TOWN),
    )  # fmt: skip
    for region, count in ((VILLAGE, 3), (OTHER_VILLAGE, 2)):
        staff = token_for("village", region)
        ids = [await make_labourer(session, region=region) for _ in range(count)]
        people[region] = ids
        await _post(employment, f"/ledger/{MONTH}/entries", {"labourer_id": ids[0], **WORKING}, staff)
        await _post(employment, f"/ledger/{MONTH}/entries", {"labourer_id": ids[1], "status": "未就业"}, staff)
        position = {"kind": "公益性岗位", "name": "保洁员", "region_code": region, "employer": "村委会",
                    "monthly_pay": "800.00", "opened_on": "2026-01-01"}  # fmt: skip
        position_id = await _post(employment, "/positions", position, district)
        occupancy = {"labourer_id": ids[0], "start_on": "2026-02-01"}
        await _post(employment, f"/positions/{position_id}/occupancies", occupancy, staff)
        seeker = {"labourer_id": ids[1], "registered_on": "2026-05-01", "wanted_job": "电子厂普工"}
        await _post(employment, "/job-seekers", seeker, staff)
        survey = {"labourer_id": ids[0], "surveyed_on": "2026-03-01", "surveyed_by": "村信息员",
                  "wants_training": True, "wanted_skills": "电工"}  # fmt: skip
        await _post(employment, "/training-surveys", survey, staff)
        await _post(employment, f"/trainings/{training}/attendance", {"labourer_id": ids[0]}, staff)
        grant = {"labourer_id": ids[0], "kind": "交通补贴", "period": "2026", "amount": "500.50",
                 "granted_on": "2026-08-01", "granted_by": "区人社局"}  # fmt: skip
        await _post(employment, "/subsidies", grant, staff)
    student = {"id_number": idnumber.make("36070220050301123"), "name": "赖小明", "region_code": VILLAGE,
               "school": "赣州职业技术学院", "major": "机电一体化", "enrolled_on": "2023-09-01"}  # fmt: skip
    await _post(employment, "/yulu-participants", student, token_for("village", VILLAGE))
    return people


LISTS: list[tuple[str, dict[str, Any], str]] = [
    ("/labourers", {}, "items"),
    ("/labourers", {"qualifies": "true"}, "items"),
    (f"/ledger/{MONTH}/entries", {}, "items"),
    (f"/ledger/{MONTH}/entries", {"status": "务工"}, "items"),
    (f"/ledger/{MONTH}/status", {}, "villages"),
    (f"/targets/{MONTH}/people", {"target": "employed_lifted"}, "items"),
    (f"/targets/{MONTH}/zero-employment-households", {}, "items"),
    ("/positions", {}, "items"),
    ("/occupancies", {}, "items"),
    ("/job-seekers", {}, "items"),
    ("/job-seekers/missing", {}, "items"),
    ("/training-surveys", {}, "items"),
    ("/training-surveys/overdue", {}, "items"),
    ("/trainings", {}, "items"),
    ("/attendance", {}, "items"),
    ("/subsidies", {}, "items"),
]


@pytest.mark.parametrize(("path", "params", "items"), LISTS, ids=[f"{p}{q}" for p, q, _ in LISTS])
async def test_an_export_holds_the_rows_of_the_json_list(
    employment: httpx.AsyncClient,
    token_for: Tokens,
    workforce: dict[str, list[int]],
    path: str,
    params: dict[str, Any],
    items: str,
) -> None:
    for headers in (token_for("village", VILLAGE), token_for("town", TOWN)):
        await assert_export_matches(employment, path, headers, ROUTERS, params, items)


async def test_the_roster_and_the_students_export_their_id_numbers_masked(
    employment: httpx.AsyncClient, token_for: Tokens, workforce: dict[str, list[int]]
) -> None:
    village = token_for("village", VILLAGE)
    for path in ("/labourers", "/yulu-participants"):
        found = await assert_export_matches(employment, path, village, ROUTERS)
        rows = (await workbook(employment, path, village, {})).get_sheet_by_index(0).to_python()
        column = rows[0].index("身份证号")
        assert [r[column] for r in rows[1:]] == [i["id_number"] for i in found]
        assert all(r[column][6:14] == "*" * 8 for r in rows[1:])


async def test_the_months_status_exports_villages_and_towns(
    employment: httpx.AsyncClient, token_for: Tokens, workforce: dict[str, list[int]]
) -> None:
    town = token_for("town", TOWN)
    report = (await employment.get(f"/ledger/{MONTH}/status", headers=town)).json()
    book = await workbook(employment, f"/ledger/{MONTH}/status", town, {})
    assert book.sheet_names == ["村级填报状态", "乡镇确认状态"]
    labels = labels_for(ROUTERS, f"/ledger/{MONTH}/status")
    assert_same_rows(book.get_sheet_by_name("乡镇确认状态").to_python(), report["towns"], labels)
    villages = book.get_sheet_by_name("村级填报状态").to_python()
    state = {r[villages[0].index("区划代码")]: r[villages[0].index("填报状态")] for r in villages[1:]}
    assert len(state) == len(report["villages"]) and state[VILLAGE] == state[OTHER_VILLAGE] == "填报中"


async def test_the_targets_export_a_row_per_village_and_town_and_the_total(
    employment: httpx.AsyncClient, token_for: Tokens, workforce: dict[str, list[int]]
) -> None:
    town = token_for("town", TOWN)
    report = (await employment.get(f"/targets/{MONTH}", headers=town)).json()
    places = [
        {k: v for k, v in p.items() if k != "links"} for p in [*report["villages"], *report["towns"], report["total"]]
    ]
    rows = (await workbook(employment, f"/targets/{MONTH}", town, {})).get_sheet_by_index(0).to_python()
    assert_same_rows(rows, places, labels_for(ROUTERS, f"/targets/{MONTH}"))
    assert rows[0][:3] == ["区划代码", "地区", "劳动力人数"]
    assert rows[-1][0] == TOWN and rows[-1][rows[0].index("劳动力人数")] == 5


async def test_a_villages_export_holds_its_own_village_only(
    employment: httpx.AsyncClient, token_for: Tokens, workforce: dict[str, list[int]]
) -> None:
    village = token_for("village", VILLAGE)
    for path in ("/labourers", f"/ledger/{MONTH}/entries", "/job-seekers/missing", "/training-surveys/overdue"):
        rows = (await workbook(employment, path, village, {})).get_sheet_by_index(0).to_python()
        column = rows[0].index("区划代码")
        assert rows[1:] and {r[column] for r in rows[1:]} == {VILLAGE}, path
        assert len(rows) - 1 == len(await json_items(employment, path, village, {}))
    for path in ("/subsidies", "/occupancies", "/attendance", "/job-seekers", "/training-surveys"):
        rows = (await workbook(employment, path, village, {})).get_sheet_by_index(0).to_python()
        column = rows[0].index("劳动力编号")
        assert rows[1:] and {int(r[column]) for r in rows[1:]} <= set(workforce[VILLAGE]), path
    town = (await workbook(employment, "/labourers", token_for("town", TOWN), {})).get_sheet_by_index(0).to_python()
    assert {r[town[0].index("区划代码")] for r in town[1:]} == {VILLAGE, OTHER_VILLAGE}


async def test_money_reads_as_a_number(
    employment: httpx.AsyncClient, token_for: Tokens, workforce: dict[str, list[int]]
) -> None:
    rows = (await workbook(employment, "/subsidies", token_for("town", TOWN), {})).get_sheet_by_index(0).to_python()
    assert [r[rows[0].index("金额")] for r in rows[1:]] == [500.5, 500.5]
    assert {r[rows[0].index("补贴类别")] for r in rows[1:]} == {"交通补贴"}
    assert {r[rows[0].index("发放日期")] for r in rows[1:]} == {date(2026, 8, 1)}


# A field name two models use with different meanings: each list heads it with its own (read back from the file).
HEADINGS: list[tuple[str, str, dict[str, str]]] = [
    ("/job-seekers", "求职登记", {"closed_on": "求职登记结束日期"}),
    ("/attendance", "培训出勤", {"status": "出勤状态"}),
    ("/positions", "岗位", {"closed_on": "撤岗日期", "kind": "岗位类别", "name": "岗位名称", "employer": "用工单位"}),
    ("/occupancies", "在岗人员", {"kind": "岗位类别", "start_on": "上岗日期", "end_on": "离岗日期"}),
    (f"/ledger/{MONTH}/entries", "就业台账", {"status": "就业状态", "employer": "就业单位"}),
    (f"/targets/{MONTH}/people", "指标人员", {"status": "就业状态"}),
    (f"/ledger/{MONTH}/status", "村级填报状态", {"name": "地区"}),
    (f"/ledger/{MONTH}/status", "乡镇确认状态", {"name": "地区"}),
]
# Headings each true of some lists only: a list shows none of them but its own (above).
ELSEWHERE = {"撤岗日期", "就业状态", "出勤状态", "村", "开始日期", "结束日期", "用工单位", "就业单位"}


@pytest.mark.parametrize(("path", "sheet", "headed"), HEADINGS, ids=[f"{p} {s}" for p, s, _ in HEADINGS])
async def test_a_field_shared_by_two_models_is_headed_in_its_own_lists_terms(
    employment: httpx.AsyncClient,
    token_for: Tokens,
    workforce: dict[str, list[int]],
    path: str,
    sheet: str,
    headed: dict[str, str],
) -> None:
    params = {"target": "employed_lifted"} if "/targets/" in path else {}
    book = await workbook(employment, path, token_for("town", TOWN), params)
    header = book.get_sheet_by_name(sheet).to_python()[0]
    assert set(headed.values()) <= set(header), header
    assert not (ELSEWHERE - set(headed.values())) & set(header), header
