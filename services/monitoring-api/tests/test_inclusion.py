"""Inclusion cases over HTTP: the ordered steps, each by its role, the rules with numbers, scoping and the history."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.contracts import PROVINCIAL_RECORD_CHANGE, Topic
from monitoring_api.deps import get_today
from monitoring_api.inclusion.models import CaseStep, InclusionCase
from monitoring_api.models import COMMON

from .helpers import household

Tokens = Callable[..., dict[str, str]]
OTHER_TOWN = OTHER_TOWN_VILLAGE[:9] + "000"
CLUE = date(2024, 5, 1)


@dataclass
class Clock:
    today: date


@pytest.fixture
def clock(monitoring_app: FastAPI) -> Clock:
    clock = Clock(date(2024, 5, 14))
    monitoring_app.dependency_overrides[get_today] = lambda: clock.today
    return clock


def day(offset: int) -> str:
    return (CLUE + timedelta(days=offset)).isoformat()


def verification(offset: int = 1, **kw: object) -> dict[str, object]:
    body = {
        "step": "入户核实",
        "taken_on": day(offset),
        "authorisation_signed": True,
        "authorisation_date": day(offset),
    }
    return {**body, "note": "收入低于监测范围", **kw}


def notice(start: int = 2, end: int = 6, **kw: object) -> dict[str, object]:
    return {"step": "民主评议/公示", "taken_on": day(start), "notice_start": day(start), "notice_end": day(end), **kw}


def town_review(offset: int = 7, agree: bool = True, **kw: object) -> dict[str, object]:
    return {"step": "乡镇审核", "taken_on": day(offset), "agree": agree, "opinion": "情况属实", **kw}


def approval(offset: int = 8, decision: str = "纳入", **kw: object) -> dict[str, object]:
    return {"step": "区级审定", "taken_on": day(offset), "decision": decision, "subject_kind": "边缘易致贫户", **kw}


async def new_household(monitoring: httpx.AsyncClient, token_for: Tokens, region: str = VILLAGE, **kw: object) -> int:
    headers = token_for("district", DISTRICT)
    response = await monitoring.post("/households", json=household(region, **kw), headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def open_case(
    monitoring: httpx.AsyncClient, token_for: Tokens, region: str = VILLAGE, clue: date = CLUE, **kw: object
) -> dict:  # type: ignore[type-arg]
    hid = await new_household(monitoring, token_for, region)
    body = {
        "household_id": hid,
        "channel": "农户自主申报",
        "clue_date": clue.isoformat(),
        "clue_note": "本人申请",
        **kw,
    }
    response = await monitoring.post("/inclusion-cases", json=body, headers=token_for("village", region))
    assert response.status_code == 201, response.text
    return dict(response.json())


class Actors:
    def __init__(self, token_for: Tokens, region: str = VILLAGE) -> None:
        self.village = token_for("village", region, subject="11", name="村信息员")
        self.town = token_for("town", region[:9] + "000", subject="22", name="镇审核员")
        self.district = token_for("district", DISTRICT, subject="33", name="区农办")


async def step(monitoring: httpx.AsyncClient, case_id: int, body: dict, headers: dict[str, str]) -> httpx.Response:  # type: ignore[type-arg]
    return await monitoring.post(f"/inclusion-cases/{case_id}/steps", json=body, headers=headers)


async def steps_of(session: AsyncSession, case_id: int) -> int:
    stmt = select(func.count()).select_from(CaseStep).where(CaseStep.case_id == case_id)
    return await session.scalar(stmt)  # type: ignore[return-value]


async def test_a_case_goes_from_clue_to_inclusion_and_keeps_its_history(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], clock: Clock
) -> None:
    case = await open_case(monitoring, token_for, risk_causes=["因病"])
    assert case["stage"] == "线索登记" and case["status"] == "办理中"
    assert case["decision_due_on"] == "2024-05-16"
    who = Actors(token_for)
    for body, headers in [
        (verification(), who.village),
        (notice(), who.village),
        (town_review(), who.town),
        (approval(), who.district),
    ]:
        response = await step(monitoring, case["id"], body, headers)
        assert response.status_code == 201, response.text
    done = response.json()
    assert done["status"] == "已纳入" and done["stage"] == "区级审定"
    assert done["decided_on"] == day(8) and done["days_taken"] == 8
    assert done["subject_kind"] == "边缘易致贫户"
    history = [(s["step"], s["actor"], s["actor_role"], s["taken_on"], s["result"]) for s in done["steps"]]
    assert history == [
        ("线索登记", "user:1", "village", day(0), "农户自主申报"),
        ("入户核实", "user:11", "village", day(1), "核实"),
        ("民主评议/公示", "user:11", "village", day(2), "已公示"),
        ("乡镇审核", "user:22", "town", day(7), "同意"),
        ("区级审定", "user:33", "district", day(8), "纳入"),
    ]
    assert done["steps"][1]["authorisation_signed"] is True
    assert done["steps"][3]["actor_name"] == "镇审核员"

    hh = (await monitoring.get(f"/households/{case['household_id']}", headers=who.district)).json()
    assert hh["category"] == "边缘易致贫户"
    assert hh["included_on"] == day(8)
    assert hh["risk_causes"] == ["因病"]
    outbox = COMMON.outbox
    provincial = outbox.c.actor_name == PROVINCIAL_RECORD_CHANGE.name
    payloads = (await session_on(COMMON).scalars(select(outbox.c.payload).where(provincial))).all()
    included = [p for p in payloads if p["topic"] == Topic.household_changed and p["action"] == "included"]
    assert [p["entity_id"] for p in included] == [case["household_id"]]
    # Once included, the household is a monitoring subject and cannot get a new case.
    again = await monitoring.post(
        "/inclusion-cases",
        json={"household_id": case["household_id"], "channel": "干部排查", "clue_date": day(9)},
        headers=who.village,
    )
    assert again.status_code == 422
    assert again.json()["rule"] == "no-case-for-monitoring-subject"


@pytest.mark.parametrize(
    ("body", "actor"),
    [(notice(), "village"), (town_review(), "town"), (approval(), "district")],
)
async def test_steps_out_of_order_are_refused_and_nothing_is_written(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
    clock: Clock,
    body: dict,  # type: ignore[type-arg]
    actor: str,
) -> None:
    case = await open_case(monitoring, token_for)
    response = await step(monitoring, case["id"], body, getattr(Actors(token_for), actor))
    assert response.status_code == 422
    assert response.json()["rule"] == "steps-in-order"
    assert "入户核实" in response.json()["detail"]
    assert await steps_of(session_on(COMMON), case["id"]) == 1
    # The same step twice is out of order too.
    who = Actors(token_for)
    assert (await step(monitoring, case["id"], verification(), who.village)).status_code == 201
    twice = await step(monitoring, case["id"], verification(), who.village)
    assert twice.status_code == 422 and twice.json()["rule"] == "steps-in-order"


@pytest.mark.parametrize(
    ("stage_steps", "body", "wrong"),
    [
        (0, verification(), "town"),
        (0, verification(), "district"),
        (1, notice(), "town"),
        (2, town_review(), "village"),
        (2, town_review(), "district"),
        (3, approval(), "town"),
        (3, approval(), "village"),
    ],
)
async def test_only_the_right_role_takes_a_step(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
    clock: Clock,
    stage_steps: int,
    body: dict,  # type: ignore[type-arg]
    wrong: str,
) -> None:
    case = await open_case(monitoring, token_for)
    who = Actors(token_for)
    path = [(verification(), who.village), (notice(), who.village), (town_review(), who.town)]
    for earlier, headers in path[:stage_steps]:
        assert (await step(monitoring, case["id"], earlier, headers)).status_code == 201
    response = await step(monitoring, case["id"], body, getattr(who, wrong))
    assert response.status_code == 403
    assert response.json()["rule"] == "step-by-its-role"
    assert await steps_of(session_on(COMMON), case["id"]) == 1 + stage_steps


@pytest.mark.parametrize(
    "changes", [{"authorisation_signed": False}, {"authorisation_date": None}, {"authorisation_date": day(2)}]
)
async def test_verification_needs_the_signed_authorisation_and_its_date(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
    clock: Clock,
    changes: dict,  # type: ignore[type-arg]
) -> None:
    case = await open_case(monitoring, token_for)
    response = await step(monitoring, case["id"], verification(**changes), Actors(token_for).village)
    assert response.status_code == 422
    assert response.json()["rule"] == "verification-needs-signed-authorisation"
    assert await steps_of(session_on(COMMON), case["id"]) == 1


async def verified(monitoring: httpx.AsyncClient, token_for: Tokens) -> dict:  # type: ignore[type-arg]
    case = await open_case(monitoring, token_for)
    assert (await step(monitoring, case["id"], verification(), Actors(token_for).village)).status_code == 201
    return case


async def test_notice_lasts_at_least_five_days_counting_both_ends(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], clock: Clock
) -> None:
    case = await verified(monitoring, token_for)
    village = Actors(token_for).village
    short = await step(monitoring, case["id"], notice(start=2, end=5), village)  # the 3rd to the 6th: 4 days
    assert short.status_code == 422
    assert short.json()["rule"] == "notice-min-days"
    assert "4 days" in short.json()["detail"]
    assert await steps_of(session_on(COMMON), case["id"]) == 2
    enough = await step(monitoring, case["id"], notice(start=2, end=6), village)  # the 3rd to the 7th: 5 days
    assert enough.status_code == 201, enough.text


async def test_a_longer_notice_minimum_is_honoured(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, clock: Clock
) -> None:
    settings = monitoring_app.state.ctx.settings
    settings.rules = settings.rules.model_copy(update={"notice_min_days": 7})
    case = await verified(monitoring, token_for)
    village = Actors(token_for).village
    assert (await step(monitoring, case["id"], notice(start=2, end=7), village)).status_code == 422
    assert (await step(monitoring, case["id"], notice(start=2, end=8), village)).status_code == 201


@pytest.mark.parametrize(
    ("start", "end", "rule"),
    [(0, 6, "notice-after-verification"), (4, 3, "notice-ends-after-start")],
)
async def test_notice_dates_follow_the_verification(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock, start: int, end: int, rule: str
) -> None:
    case = await verified(monitoring, token_for)
    body = notice(start=start, end=end, taken_on=day(2))
    response = await step(monitoring, case["id"], body, Actors(token_for).village)
    assert response.status_code == 422
    assert response.json()["rule"] == rule


async def test_the_town_reviews_only_after_the_notice_is_over(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock
) -> None:
    case = await verified(monitoring, token_for)
    who = Actors(token_for)
    assert (await step(monitoring, case["id"], notice(start=2, end=6), who.village)).status_code == 201
    early = await step(monitoring, case["id"], town_review(offset=6), who.town)
    assert early.status_code == 422
    assert early.json()["rule"] == "town-review-after-notice"
    assert (await step(monitoring, case["id"], town_review(offset=7), who.town)).status_code == 201


@pytest.mark.parametrize("offset", [0, 14])
async def test_step_dates_run_forward_and_not_into_the_future(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock, offset: int
) -> None:
    clock.today = date(2024, 5, 14)  # day 13
    case = await verified(monitoring, token_for)
    response = await step(
        monitoring, case["id"], notice(start=2, end=6, taken_on=day(offset)), Actors(token_for).village
    )
    assert response.status_code == 422
    assert response.json()["rule"] == "step-dates-in-order"


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


async def reviewed(monitoring: httpx.AsyncClient, token_for: Tokens) -> dict:  # type: ignore[type-arg]
    case = await verified(monitoring, token_for)
    who = Actors(token_for)
    assert (await step(monitoring, case["id"], notice(), who.village)).status_code == 201
    assert (await step(monitoring, case["id"], town_review(), who.town)).status_code == 201
    return case


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
    assert f"case {case['id']}" in second.json()["detail"]
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
