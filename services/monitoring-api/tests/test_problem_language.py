"""A refused request answers in Chinese by default and in English on Accept-Language: en, with a stable code and
the parameters a front end needs to word its own message."""

from collections.abc import Callable
from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from conftest import VILLAGE
from monitoring_api.deps import get_today

from .helpers import household, member, person_id
from .inclusion_steps import Actors, Clock, notice, step, verified

Tokens = Callable[..., dict[str, str]]
EN = {"Accept-Language": "en"}


@pytest.fixture
def clock(monitoring_app: FastAPI) -> Clock:
    clock = Clock(date(2024, 5, 14))
    monitoring_app.dependency_overrides[get_today] = lambda: clock.today
    return clock


async def test_a_business_rule_refusal_in_both_languages(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock
) -> None:
    case = await verified(monitoring, token_for)
    village = Actors(token_for).village
    chinese = (await step(monitoring, case["id"], notice(start=2, end=5), village)).json()
    english = (await step(monitoring, case["id"], notice(start=2, end=5), {**village, **EN})).json()
    assert chinese["title"] == "公示时间不足"
    assert chinese["detail"] == (
        "公示从 2024-05-03 到 2024-05-06 共 4 天（含首尾），至少需要 5 天（规则 notice-min-days）"
    )
    assert english["title"] == "Business rule violated"
    assert english["detail"].startswith("the notice from 2024-05-03 to 2024-05-06 lasts 4 days")
    for problem in (chinese, english):
        assert problem["status"] == 422
        assert problem["code"] == "notice-min-days"
        assert problem["rule"] == "notice-min-days"
        assert problem["params"] == {
            "start": "2024-05-03",
            "end": "2024-05-06",
            "days": 4,
            "min_days": 5,
            "rule": "notice-min-days",
        }


async def test_a_conflict_and_a_not_found_name_things_in_chinese(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    headers = token_for("village", VILLAGE)
    person = person_id()
    first = await monitoring.post("/households", json=household(VILLAGE, [member(id_number=person)]), headers=headers)
    again = await monitoring.post("/households", json=household(VILLAGE, [member(id_number=person)]), headers=headers)
    problem = again.json()
    assert again.status_code == 409
    assert problem["code"] == "id-number-taken"
    assert problem["title"] == "此人已在农户库中"
    assert problem["detail"].startswith(f"身份证号 {person} 已登记为农户 {first.json()['id']}")
    assert problem["params"]["household_id"] == first.json()["id"]
    missing = await monitoring.get("/households/999999999", headers=headers)
    assert missing.json()["detail"] == "未找到农户 999999999"
    missing_en = await monitoring.get("/households/999999999", headers={**headers, **EN})
    assert missing_en.json()["detail"] == "household 999999999 was not found"
    assert missing_en.json()["params"] == {"entity": "household", "key": 999999999}


async def test_validation_errors_keep_the_path_and_add_the_chinese_label(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    body = household(VILLAGE, [member(id_number="110105194912310021")])
    body["phone"] = "x" * 300
    headers = token_for("village", VILLAGE)
    chinese = (await monitoring.post("/households", json=body, headers=headers)).json()
    english = (await monitoring.post("/households", json=body, headers={**headers, **EN})).json()
    by_field = {e["field"]: e for e in chinese["errors"]}
    assert by_field["body.members.0.id_number"]["label"] == "身份证号"
    assert by_field["body.members.0.id_number"]["message"] == "身份证号校验位不正确"
    assert by_field["body.phone"]["label"] == "联系电话"
    assert chinese["title"] == "输入有误"
    assert chinese["code"] == english["code"] == "validation-error"
    assert english["title"] == "Invalid input"
    assert {e["field"] for e in english["errors"]} == set(by_field)
    assert "check character" in {e["field"]: e for e in english["errors"]}["body.members.0.id_number"]["message"]
    short = household(VILLAGE, [member(id_number="123")])
    too_short = (await monitoring.post("/households", json=short, headers=headers)).json()["errors"][0]
    assert (too_short["field"], too_short["message"]) == ("body.members.0.id_number", "长度不能少于 18")


async def test_a_role_refusal_names_the_role_in_chinese(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    response = await monitoring.post("/pairings", json={}, headers=token_for("cadre", VILLAGE))
    assert response.status_code == 403
    assert response.json()["detail"] == "帮扶干部无权执行此操作"
    english = await monitoring.post("/pairings", json={}, headers={**token_for("cadre", VILLAGE), **EN})
    assert english.json()["detail"] == "the cadre role may not do this"
