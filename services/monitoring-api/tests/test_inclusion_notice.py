"""The public notice of an inclusion case: JSON and CSV with Chinese headings, never any private data."""

import csv
import io
from collections.abc import Callable
from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from conftest import DISTRICT, VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.privacy import mask_name

from .helpers import household, member, person_id
from .test_inclusion import Actors, notice, verification

Tokens = Callable[..., dict[str, str]]

HEAD_ID = "11010519491231002X"
SPOUSE_ID = person_id("19800101")
PRIVATE = {
    "household phone": "13907970001",
    "bank account": "6217000012345678",
    "member phone": "13800138000",
    "head ID number": HEAD_ID,
    "spouse ID number": SPOUSE_ID,
    "head health": "患有大病",
    "spouse health": "残疾",
    "illness as a risk type": "因病",
    "disability as a risk type": "因残",
    "head's full name": "李秀英",
    "spouse's full name": "王建国",
}


@pytest.fixture(autouse=True)
def clock(monitoring_app: FastAPI) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: date(2024, 5, 14)


async def noticed_case(monitoring: httpx.AsyncClient, token_for: Tokens) -> int:
    people = [
        member(id_number=HEAD_ID, name="李秀英", relation="户主", health="患有大病", phone="13800138000"),
        member(id_number=SPOUSE_ID, name="王建国", relation="配偶", health="残疾"),
    ]
    body = household(VILLAGE, people, head_name="李秀英", phone="13907970001", bank_account="6217000012345678")
    created = await monitoring.post("/households", json=body, headers=token_for("district", DISTRICT))
    assert created.status_code == 201, created.text
    village = Actors(token_for).village
    case = await monitoring.post(
        "/inclusion-cases",
        json={
            "household_id": created.json()["id"],
            "channel": "农户自主申报",
            "clue_date": "2024-05-01",
            "subject_kind": "突发严重困难户",
            "risk_causes": ["因病", "因残", "因意外事故"],
        },
        headers=village,
    )
    assert case.status_code == 201, case.text
    case_id = int(case.json()["id"])
    for step in (verification(), notice()):
        response = await monitoring.post(f"/inclusion-cases/{case_id}/steps", json=step, headers=village)
        assert response.status_code == 201, response.text
    return case_id


async def test_the_json_notice_shows_the_household_but_nothing_private(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    case_id = await noticed_case(monitoring, token_for)
    response = await monitoring.get(f"/inclusion-cases/{case_id}/notice", headers=token_for("village", VILLAGE))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["village_name"] == "谢岗村"
    assert body["head_name"] == "李*英"
    assert body["household_size"] == 2
    assert body["members"] == [{"name": "李*英", "relation": "户主"}, {"name": "王*国", "relation": "配偶"}]
    assert body["subject_kind"] == "突发严重困难户"
    assert body["decision"] == "拟纳入监测对象(突发严重困难户)"
    assert body["risk_causes"] == ["因意外事故"]
    assert (body["notice_start"], body["notice_end"]) == ("2024-05-03", "2024-05-07")
    for what, value in PRIVATE.items():
        assert value not in response.text, what


async def test_the_csv_notice_has_chinese_headings_and_nothing_private(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    case_id = await noticed_case(monitoring, token_for)
    response = await monitoring.get(
        f"/inclusion-cases/{case_id}/notice", params={"format": "csv"}, headers=token_for("town", VILLAGE[:9] + "000")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["案件编号", "村(居)", "户主姓名", "家庭人口"]
    assert "公示开始日期" in rows[0] and "公示结束日期" in rows[0]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["户主姓名"] == "李*英"
    assert record["家庭成员"] == "李*英(户主)、王*国(配偶)"
    assert record["评议结果"] == "拟纳入监测对象(突发严重困难户)"
    assert record["风险类型"] == "因意外事故"
    for what, value in PRIVATE.items():
        assert value not in text, what


async def test_there_is_no_notice_before_the_appraisal_step(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    created = await monitoring.post("/households", json=household(VILLAGE), headers=token_for("district", DISTRICT))
    village = token_for("village", VILLAGE)
    case = await monitoring.post(
        "/inclusion-cases",
        json={"household_id": created.json()["id"], "channel": "干部排查", "clue_date": "2024-05-01"},
        headers=village,
    )
    response = await monitoring.get(f"/inclusion-cases/{case.json()['id']}/notice", headers=village)
    assert response.status_code == 422
    assert response.json()["rule"] == "notice-after-appraisal"


@pytest.mark.parametrize("fmt", ["xml", "CSV"])
async def test_unknown_formats_are_refused(monitoring: httpx.AsyncClient, token_for: Tokens, fmt: str) -> None:
    case_id = await noticed_case(monitoring, token_for)
    response = await monitoring.get(
        f"/inclusion-cases/{case_id}/notice", params={"format": fmt}, headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.format"


@pytest.mark.parametrize(
    ("name", "masked"), [("李", "李"), ("李四", "李*"), ("李秀英", "李*英"), ("欧阳小明", "欧**明"), ("", "")]
)
def test_names_are_masked_keeping_the_first_and_last_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked
