"""Inclusion decisions: refusals and their reasons, the subject kind, one case per household, scoping, 15 days."""

from collections.abc import Callable
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.inclusion.models import InclusionCase
from monitoring_api.models import COMMON

from .inclusion_steps import (
    OTHER_TOWN,
    Actors,
    Clock,
    Tokens,
    approval,
    day,
    new_household,
    notice,
    open_case,
    reviewed,
    step,
    steps_of,
    town_review,
    verification,
    verified,
)


@pytest.fixture
def clock(monitoring_app: FastAPI) -> Clock:
    clock = Clock(date(2024, 5, 14))
    monitoring_app.dependency_overrides[get_today] = lambda: clock.today
    return clock


async def test_a_town_that_disagrees_ends_the_case_with_its_reason(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], clock: Clock
) -> None:
    case = await verified(monitoring, token_for)
    who = Actors(token_for)
    assert (await step(monitoring, case["id"], notice(), who.village)).status_code == 201
    refused = await step(monitoring, case["id"], town_review(agree=False, opinion="家庭有稳定工资收入"), who.town)
    assert refused.status_code == 201
    assert refused.json()["status"] == "不予纳入"
    assert refused.json()["refusal_reason"] == "家庭有稳定工资收入"
    after = await step(monitoring, case["id"], approval(), who.district)
    assert after.status_code == 422
    assert after.json()["rule"] == "steps-in-order"
    assert after.json()["type"].endswith("/case-decided")
    assert await steps_of(session_on(COMMON), case["id"]) == 4


async def test_a_refusal_carries_its_reason(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], clock: Clock
) -> None:
    case = await reviewed(monitoring, token_for)
    district = Actors(token_for).district
    bare = await step(monitoring, case["id"], approval(decision="不予纳入"), district)
    assert bare.status_code == 422
    assert bare.json()["rule"] == "refusal-needs-reason"
    assert await steps_of(session_on(COMMON), case["id"]) == 4
    refused = await step(
        monitoring, case["id"], approval(decision="不予纳入", reason="人均纯收入高于监测范围"), district
    )
    assert refused.status_code == 201
    assert refused.json()["status"] == "不予纳入"
    assert refused.json()["refusal_reason"] == "人均纯收入高于监测范围"
    hh = (await monitoring.get(f"/households/{case['household_id']}", headers=district)).json()
    assert hh["category"] == "脱贫户" and hh["included_on"] is None


async def test_inclusion_names_the_subject_kind(monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock) -> None:
    case = await reviewed(monitoring, token_for)
    body = approval()
    del body["subject_kind"]
    response = await step(monitoring, case["id"], body, Actors(token_for).district)
    assert response.status_code == 422
    assert response.json()["rule"] == "inclusion-names-subject-kind"


async def test_the_kind_may_be_named_at_verification(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock
) -> None:
    case = await open_case(monitoring, token_for)
    who = Actors(token_for)
    for body, headers in [
        (verification(subject_kind="突发严重困难户"), who.village),
        (notice(), who.village),
        (town_review(), who.town),
        (approval(subject_kind=None), who.district),
    ]:
        assert (await step(monitoring, case["id"], body, headers)).status_code == 201
    hh = (await monitoring.get(f"/households/{case['household_id']}", headers=who.district)).json()
    assert hh["category"] == "突发严重困难户"


async def test_one_case_in_progress_per_household_and_none_for_subjects(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], clock: Clock
) -> None:
    case = await open_case(monitoring, token_for)
    village = token_for("village", VILLAGE)
    body = {"household_id": case["household_id"], "channel": "部门筛查预警", "clue_date": day(3)}
    second = await monitoring.post("/inclusion-cases", json=body, headers=village)
    assert second.status_code == 409
    assert f"识别纳入 {case['id']}" in second.json()["detail"]
    subject = await new_household(monitoring, token_for, category="脱贫不稳定户")
    refused = await monitoring.post("/inclusion-cases", json={**body, "household_id": subject}, headers=village)
    assert refused.status_code == 422
    assert refused.json()["rule"] == "no-case-for-monitoring-subject"
    future = await monitoring.post(
        "/inclusion-cases",
        json={**body, "household_id": await new_household(monitoring, token_for), "clue_date": "2024-05-15"},
        headers=village,
    )
    assert future.status_code == 422
    assert future.json()["rule"] == "clue-date-not-future"
    assert await session_on(COMMON).scalar(select(func.count()).select_from(InclusionCase)) == 1
    cadre = await monitoring.post("/inclusion-cases", json=body, headers=token_for("cadre", VILLAGE))
    assert cadre.status_code == 403


async def test_a_village_cannot_see_or_move_another_villages_case(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], clock: Clock
) -> None:
    case = await open_case(monitoring, token_for, OTHER_VILLAGE)
    mine = token_for("village", VILLAGE)
    assert (await monitoring.get(f"/inclusion-cases/{case['id']}", headers=mine)).status_code == 404
    assert (await monitoring.get(f"/inclusion-cases/{case['id']}/notice", headers=mine)).status_code == 404
    assert (await monitoring.get("/inclusion-cases", headers=mine)).json()["items"] == []
    moved = await step(monitoring, case["id"], verification(), mine)
    assert moved.status_code == 404
    assert await steps_of(session_on(COMMON), case["id"]) == 1
    opened = await monitoring.post(
        "/inclusion-cases",
        json={"household_id": case["household_id"], "channel": "干部排查", "clue_date": day(1)},
        headers=mine,
    )
    assert opened.status_code == 404
    other_town = token_for("town", OTHER_TOWN)
    assert (await monitoring.get(f"/inclusion-cases/{case['id']}", headers=other_town)).status_code == 404
    own_town = await monitoring.get("/inclusion-cases", headers=token_for("town", TOWN))
    assert [c["id"] for c in own_town.json()["items"]] == [case["id"]]


async def test_late_cases_past_fifteen_days_from_the_clue(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock
) -> None:
    on_time = await open_case(monitoring, token_for, clue=date(2024, 5, 1))
    late_open = await open_case(monitoring, token_for, clue=date(2024, 4, 30))
    elsewhere = await open_case(monitoring, token_for, OTHER_TOWN_VILLAGE, clue=date(2024, 4, 1))
    clock.today = date(2024, 5, 16)  # day 15 of the first case, day 16 of the second
    district = token_for("district", DISTRICT)
    late = (await monitoring.get("/inclusion-cases/late", headers=district)).json()["items"]
    assert sorted(c["id"] for c in late) == sorted([late_open["id"], elsewhere["id"]])
    assert {c["id"]: c["days_taken"] for c in late}[late_open["id"]] == 16
    town = (await monitoring.get("/inclusion-cases/late", headers=token_for("town", TOWN))).json()["items"]
    assert [c["id"] for c in town] == [late_open["id"]]
    assert on_time["id"] not in [c["id"] for c in town]


@pytest.mark.parametrize(("decided_day", "late"), [(15, False), (16, True)])
async def test_decided_cases_that_took_more_than_fifteen_days_are_late(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock, decided_day: int, late: bool
) -> None:
    clock.today = date(2024, 5, 31)
    case = await reviewed(monitoring, token_for)
    decided = await step(monitoring, case["id"], approval(offset=decided_day), Actors(token_for).district)
    assert decided.status_code == 201, decided.text
    assert decided.json()["days_taken"] == decided_day
    listed = (await monitoring.get("/inclusion-cases/late", headers=token_for("district", DISTRICT))).json()["items"]
    assert (case["id"] in [c["id"] for c in listed]) is late


async def test_a_shorter_decision_limit_is_honoured(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, clock: Clock
) -> None:
    settings = monitoring_app.state.ctx.settings
    settings.rules = settings.rules.model_copy(update={"clue_to_decision_max_days": 10})
    case = await open_case(monitoring, token_for)
    clock.today = date(2024, 5, 11)
    assert (await monitoring.get("/inclusion-cases/late", headers=token_for("village", VILLAGE))).json()["items"] == []
    clock.today = date(2024, 5, 12)
    listed = (await monitoring.get("/inclusion-cases/late", headers=token_for("village", VILLAGE))).json()["items"]
    assert [c["id"] for c in listed] == [case["id"]]
    assert listed[0]["decision_due_on"] == "2024-05-11"


async def test_a_stale_if_match_on_a_step_is_refused(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock
) -> None:
    case = await open_case(monitoring, token_for)
    village = Actors(token_for).village
    stale = await monitoring.post(
        f"/inclusion-cases/{case['id']}/steps", json=verification(), headers={**village, "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    fresh = await monitoring.post(
        f"/inclusion-cases/{case['id']}/steps", json=verification(), headers={**village, "If-Match": '"1"'}
    )
    assert fresh.status_code == 201
    assert fresh.headers["ETag"] == '"2"'
