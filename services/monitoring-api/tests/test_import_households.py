"""The household import over HTTP: formats and encodings, every row check, strict and skip modes, scoping (files and
forms refused before any row is read: test_import_refusals)."""

from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.contracts import PROVINCIAL_RECORD_CHANGE, WARNINGS_RECOMPUTE
from monitoring_api.households.models import Household, Member
from monitoring_api.imports.columns import HEADERS
from monitoring_api.models import COMMON

from .helpers import household, member
from .test_import_files import csv_bytes, family, person, row, upload, xlsx_bytes

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]


async def written(session: AsyncSession) -> tuple[int, int, int, int]:
    """Households, members, outbox rows and import audit rows: what an import may write."""
    audit = COMMON.audit_log
    return (
        await session.scalar(select(func.count()).select_from(Household)),
        await session.scalar(select(func.count()).select_from(Member)),
        await session.scalar(select(func.count()).select_from(COMMON.outbox)),
        await session.scalar(select(func.count()).where(audit.c.entity == "household_import")),
    )  # type: ignore[return-value]


def _errors(report: dict[str, Any]) -> set[tuple[int, str]]:
    return {(e["row"], e["field"]) for e in report["errors"]}


async def test_the_template_is_the_header_row(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    response = await monitoring.get("/imports/template.csv", headers=token_for("village", VILLAGE))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").strip().split(",") == list(HEADERS)
    assert {"户编号", "证件号码", "与户主关系", "是否享受低保"} <= set(HEADERS)
    assert (await monitoring.get("/imports/template.csv")).status_code == 401


async def test_a_csv_export_is_imported_with_every_field(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    headers = token_for("village", VILLAGE, subject="7")
    head = row(
        "3607020001",
        VILLAGE,
        户类型="边缘易致贫户",
        家庭住址="谢岗村3组",
        脱贫年度="2016",
        联系电话="13912345678",
        纳入监测时间="2024-03-01",
        风险类型="因病、因学",
    )
    wife = row(
        "3607020001",
        VILLAGE,
        户类型="边缘易致贫户",
        姓名="李梅",
        与户主关系="配偶",
        劳动技能="弱劳动力或半劳动力",
        健康状况="长期慢性病",
        文化程度="",
        是否享受低保="是",
        是否公益性岗位="是",
        联系电话="",
    )
    single = row("3607020002", VILLAGE, 户主姓名="王五", 姓名="王五", 户类型="一般农户")
    response = await upload(monitoring, headers, csv_bytes([head, wife, single]))
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["rows"], report["households"], report["imported_households"], report["imported_members"]) == (
        3,
        2,
        2,
        3,
    )
    assert (report["rejected_rows"], report["errors"], report["file_format"], report["encoding"]) == (
        0,
        [],
        "csv",
        "utf-8",
    )

    session = session_on(COMMON)
    imported = await session.scalar(select(Household).where(Household.household_number == "3607020001"))
    assert imported is not None
    assert (imported.region_code, imported.head_name, imported.category, imported.status) == (
        VILLAGE,
        "张三",
        "边缘易致贫户",
        "正常",
    )
    assert (imported.address, imported.lifted_year, imported.phone, imported.version) == (
        "谢岗村3组",
        2016,
        "13912345678",
        1,
    )
    # The subject came with its identification date and risk types, so the six-month rules count from that date.
    assert (imported.included_on, imported.risk_causes) == (date(2024, 3, 1), ["因病", "因学"])
    detail = (await monitoring.get(f"/households/{imported.id}", headers=headers)).json()
    spouse = detail["members"][1]
    assert spouse["id_number"] == wife["证件号码"]
    assert (spouse["name"], spouse["relation"], spouse["labour_skill"], spouse["health"]) == (
        "李梅",
        "配偶",
        "弱劳动力或半劳动力",
        "长期慢性病",
    )
    assert (spouse["dibao"], spouse["tekun"], spouse["public_welfare_job"], spouse["medical_insured"]) == (
        True,
        False,
        True,
        True,
    )
    assert (spouse["education"], spouse["phone"], spouse["region_code"], spouse["status"]) == (
        None,
        None,
        VILLAGE,
        "正常",
    )
    assert spouse["birth_date"] == f"{wife['证件号码'][6:10]}-{wife['证件号码'][10:12]}-{wife['证件号码'][12:14]}"

    outbox = COMMON.outbox
    sent = (await session.execute(select(outbox.c.actor_name, outbox.c.payload))).all()
    events = [payload for actor, payload in sent if actor == PROVINCIAL_RECORD_CHANGE.name]
    assert (
        sorted((e["entity"], e["action"], e["region_code"]) for e in events) == [("household", "imported", VILLAGE)] * 2
    )
    # The warnings of the imported households: one region recompute, not a job per household.
    assert [payload for actor, payload in sent if actor == WARNINGS_RECOMPUTE.name] == [{"region_code": VILLAGE}]
    household_ids = set((await session.scalars(select(Household.id))).all())
    assert {e["entity_id"] for e in events} == household_ids
    audit = COMMON.audit_log
    logged = (await session.execute(select(audit).where(audit.c.entity == "household_import"))).one()
    assert (logged.actor, logged.entity_id, logged.action) == ("user:7", report["import_id"], "insert")
    assert (logged.changes["imported_members"], logged.changes["file"]) == (3, "households.csv")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
async def test_bom_and_gb18030_files_are_read(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, encoding: str
) -> None:
    rows = family("H-ENC-1", VILLAGE, 2, 户主姓名="欧阳娜娜", 姓名="欧阳娜娜")
    content = csv_bytes(rows, encoding)
    assert content.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    response = await upload(monitoring, token_for("village", VILLAGE), content)
    assert response.status_code == 200, response.text
    assert response.json()["encoding"] == encoding
    assert response.json()["imported_members"] == 2
    head_name = await session_on(COMMON).scalar(
        select(Household.head_name).where(Household.household_number == "H-ENC-1")
    )
    assert head_name == "欧阳娜娜"


async def test_a_file_that_changes_encoding_after_the_first_chunk_is_refused_not_garbled(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    # Detection reads the first 64 KiB only; GB18030 bytes after it are invalid UTF-8: a 422 naming the place.
    padding = csv_bytes([row(f"PAD{i:05d}", VILLAGE) for i in range(600)])
    assert len(padding) > 64 * 1024
    late = csv_bytes([row("H-LATE", VILLAGE, 姓名="李四")], "gb18030").split(b"\r\n", 1)[1]
    response = await upload(monitoring, token_for("village", VILLAGE), padding + late)
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/import-unreadable-file")
    assert "行之后的内容无法读取" in problem["detail"]
    assert (await written(session_on(COMMON)))[:2] == (0, 0)


async def test_an_xlsx_workbook_is_read_with_numeric_cells(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    rows: list[dict[str, Any]] = family("0", VILLAGE, 3)
    for values in rows:
        values |= {"户编号": 3607020099, "行政区划代码": int(VILLAGE), "联系电话": 13800001111, "是否享受低保": True}
    content = xlsx_bytes(rows)
    response = await upload(monitoring, token_for("village", VILLAGE), content, filename="households.xlsx")
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["file_format"], report["encoding"], report["imported_members"]) == ("xlsx", None, 3)
    session = session_on(COMMON)
    imported = await session.scalar(select(Household).where(Household.household_number == "3607020099"))
    assert imported is not None and imported.region_code == VILLAGE
    flags = (await session.scalars(select(Member.dibao).where(Member.household_id == imported.id))).all()
    assert flags == [True, True, True]


async def _registered_id(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    number = person()
    response = await client.post("/households", json=household(VILLAGE, [member(id_number=number)]), headers=headers)
    assert response.status_code == 201
    return number


BAD_ROWS: list[tuple[str, dict[str, str], str, str]] = [
    ("bad check character", {"证件号码": "11010519491231002Y"}, "证件号码", "17 位数字"),
    ("wrong check digit", {"证件号码": "110105194912310021"}, "证件号码", "校验位"),
    ("unknown labour skill", {"劳动技能": "壮劳力"}, "劳动技能", "应为以下之一"),
    ("unknown category", {"户类型": "贫困户"}, "户类型", "应为以下之一"),
    ("yes/no", {"是否特困供养": "Y"}, "是否特困供养", "应为是或否"),
    ("missing name", {"姓名": ""}, "姓名", "必填"),
    ("bad region code", {"行政区划代码": "3607"}, "行政区划代码", "12 位数字"),
    ("unknown village", {"行政区划代码": "360702191299"}, "行政区划代码", "不是本区的村"),
    ("town is no village", {"行政区划代码": TOWN}, "行政区划代码", "不是本区的村"),
    ("other town", {"行政区划代码": OTHER_TOWN_VILLAGE}, "行政区划代码", "不在您的管辖范围内"),
]


@pytest.mark.parametrize(("case", "change", "field", "reason"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
async def test_strict_mode_refuses_the_file_for_one_bad_row(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
    case: str,
    change: dict[str, str],
    field: str,
    reason: str,
) -> None:
    good = family("H-GOOD", VILLAGE, 2)
    bad = family("H-BAD", VILLAGE, 2)
    bad[1] |= change  # row 5: header, two good rows, then the bad household
    headers = token_for("town", TOWN)
    session = session_on(COMMON)
    before = await written(session)
    response = await upload(monitoring, headers, csv_bytes(good + bad))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["rule"], problem["type"].split("/")[-1]) == ("import-all-or-nothing", "import-rejected")
    assert (5, field) in _errors(problem["report"])
    assert any(reason in e["reason"] for e in problem["report"]["errors"] if e["row"] == 5)
    assert f"file.5.{field}" in [e["field"] for e in problem["errors"]]
    assert problem["report"]["imported_members"] == 0
    assert await written(session) == before

    skipped = await upload(monitoring, headers, csv_bytes(good + bad), mode="skip_bad_rows")
    assert skipped.status_code == 200, skipped.text
    report = skipped.json()
    assert (report["imported_households"], report["imported_members"], report["skipped_households"]) == (1, 2, 1)
    assert (report["rejected_rows"], (4, "户编号") in _errors(report)) == (2, True)
    numbers = (await session.scalars(select(Household.household_number))).all()
    assert numbers == ["H-GOOD"]


async def test_people_and_households_are_checked_against_the_file_and_the_registry(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    headers = token_for("village", VILLAGE)
    registered = await _registered_id(monitoring, headers)
    existing_number = (
        await monitoring.post("/households", json=household(VILLAGE, household_number="H-OLD"), headers=headers)
    ).json()["household_number"]
    twice = person()
    rows = [
        *family("H-1", VILLAGE, 2),  # rows 2-3: good
        row("H-2", VILLAGE, 证件号码=twice),  # row 4: person also in row 5
        row("H-3", VILLAGE, 证件号码=twice),  # row 5
        row("H-4", VILLAGE, 证件号码=registered),  # row 6: already active in the registry
        row("H-5", VILLAGE, 与户主关系="配偶"),  # row 7: household without a 户主
        row("H-6", VILLAGE),  # rows 8-9: two 户主
        row("H-6", VILLAGE),
        row("H-7", VILLAGE),  # rows 10-11: rows disagree on the village and the head's name
        row("H-7", OTHER_VILLAGE, 户主姓名="李四", 与户主关系="之子"),
        row(existing_number, VILLAGE),  # row 12: household number already registered
    ]
    session = session_on(COMMON)
    before = await written(session)
    response = await upload(monitoring, headers, csv_bytes(rows))
    assert response.status_code == 422
    report = response.json()["report"]
    assert _errors(report) == {
        (4, "证件号码"),
        (5, "证件号码"),
        (6, "证件号码"),
        (7, "与户主关系"),
        (8, "与户主关系"),
        (9, "与户主关系"),
        (11, "行政区划代码"),
        (11, "户主姓名"),
        (12, "户编号"),
    }
    reasons: dict[tuple[int, str], str] = {}
    for e in report["errors"]:
        reasons[(e["row"], e["field"])] = reasons.get((e["row"], e["field"]), "") + e["reason"] + "; "
    assert "此人在文件中出现 2 次（首次在第 4 行）" in reasons[(5, "证件号码")]
    assert "已在农户库中" in reasons[(6, "证件号码")]
    assert "没有户主" in reasons[(7, "与户主关系")]
    assert "有 2 行户主" in reasons[(8, "与户主关系")]
    assert "与户 H-7 的户主行（第 10 行）不一致" in reasons[(11, "行政区划代码")]
    assert "不在您的管辖范围内" in reasons[(11, "行政区划代码")]
    assert "户编号 H-OLD 已在农户库中" in reasons[(12, "户编号")]
    assert (report["rows"], report["rejected_rows"], report["households"]) == (11, 8, 8)
    assert await written(session) == before

    response = await upload(monitoring, headers, csv_bytes(rows), mode="skip_bad_rows")
    assert response.status_code == 200
    assert (response.json()["imported_households"], response.json()["imported_members"]) == (1, 2)
    assert (await written(session))[:2] == (before[0] + 1, before[1] + 2)


async def test_a_village_user_cannot_import_another_village(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    rows = family("H-MINE", VILLAGE, 2) + family("H-THEIRS", OTHER_VILLAGE, 2)
    headers = token_for("village", VILLAGE)
    response = await upload(monitoring, headers, csv_bytes(rows), mode="skip_bad_rows")
    assert response.status_code == 200
    report = response.json()
    assert {(e["row"], e["field"], e["reason"]) for e in report["errors"]} == {
        (row_no, "行政区划代码", f"{OTHER_VILLAGE} 不在您的管辖范围内") for row_no in (4, 5)
    }
    numbers = (await session_on(COMMON).scalars(select(Household.household_number))).all()
    assert numbers == ["H-MINE"]


async def test_the_region_restriction_narrows_a_town_import(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    town = token_for("town", TOWN)
    rows = family("H-A", VILLAGE, 1) + family("H-B", OTHER_VILLAGE, 1)
    response = await upload(monitoring, town, csv_bytes(rows), region_code=VILLAGE)
    assert response.status_code == 422
    assert response.json()["report"]["errors"] == [
        {"row": 3, "field": "行政区划代码", "reason": f"{OTHER_VILLAGE} 不在本次导入限定的区划（360702191200）内"}
    ]
    outside = await upload(monitoring, town, csv_bytes(rows[:1]), region_code=OTHER_TOWN_VILLAGE)
    assert outside.status_code == 404
    assert (await written(session_on(COMMON)))[:2] == (0, 0)


async def test_a_subject_imported_without_its_inclusion_date_is_refused(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    headers = token_for("village", VILLAGE)
    rows = [
        row("3607020011", VILLAGE, 户类型="突发严重困难户"),  # no 纳入监测时间: it would escape every six-month rule
        row("3607020012", VILLAGE, 户类型="边缘易致贫户", 纳入监测时间="2024-05-01", 风险类型="因病,缺劳动力,火灾"),
        row("3607020013", VILLAGE, 户类型="脱贫户"),
    ]
    response = await upload(monitoring, headers, csv_bytes(rows), mode="skip_bad_rows")
    assert response.status_code == 200, response.text
    report = response.json()
    assert _errors(report) == {(2, "纳入监测时间"), (3, "风险类型")}
    assert report["imported_households"] == 1
