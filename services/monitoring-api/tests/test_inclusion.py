"""Inclusion cases over HTTP: the ordered steps, each by its role, and the rules on notice days and step dates."""

from collections.abc import Callable
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import PROVINCIAL_RECORD_CHANGE, Topic
from monitoring_api.deps import get_today
from monitoring_api.models import COMMON

from .inclusion_steps import (
    Actors,
    Clock,
    Tokens,
    approval,
    day,
    notice,
    open_case,
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


async def test_notice_lasts_at_least_five_days_counting_both_ends(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], clock: Clock
) -> None:
    case = await verified(monitoring, token_for)
    village = Actors(token_for).village
    short = await step(monitoring, case["id"], notice(start=2, end=5), village)  # the 3rd to the 6th: 4 days
    assert short.status_code == 422
    assert short.json()["rule"] == "notice-min-days"
    assert "共 4 天" in short.json()["detail"]
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
