"""Elimination steps: verification and notice (≥ notice_min_days) by the village → town review → district approval,
each by its role, and what approval does."""

from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from conftest import DISTRICT, TOWN, VILLAGE
from monitoring_api.elimination.models import EliminationStepRecord
from monitoring_api.households.models import Member
from monitoring_api.measures.models import Lookback
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings

from .test_elimination import OPEN, eligible
from .test_measure_helpers import Sessions, Tokens, count, outbox_topics, set_today

NOTICE = {"notice_from": "2025-08-05", "notice_to": "2025-08-09", "passed": True}
TOWN_REVIEW = {"done_on": "2025-08-10", "passed": True, "note": "同意"}


async def _opened(client: httpx.AsyncClient, app: FastAPI, tokens: Tokens, session: Any, **fields: Any) -> int:
    set_today(app, date(2025, 8, 1))
    household_id = await eligible(client, tokens, session, **fields)
    response = await client.post(
        f"/households/{household_id}/eliminations", json=OPEN, headers=tokens("village", VILLAGE)
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _step(
    client: httpx.AsyncClient, headers: dict[str, str], elimination_id: int, step: str, body: dict[str, Any]
) -> httpx.Response:
    current = await client.get(f"/eliminations/{elimination_id}", headers=headers)
    return await client.post(
        f"/eliminations/{elimination_id}/{step}", json=body, headers={**headers, "If-Match": current.headers["ETag"]}
    )


async def _to_approval(client: httpx.AsyncClient, app: FastAPI, tokens: Tokens, elimination_id: int) -> None:
    village = tokens("village", VILLAGE)
    set_today(app, date(2025, 8, 10))
    verified = await _step(client, village, elimination_id, "verification", {"done_on": "2025-08-02", "passed": True})
    assert verified.status_code == 200, verified.text
    noticed = await _step(client, village, elimination_id, "notice", NOTICE)
    assert noticed.status_code == 200, noticed.text
    reviewed = await _step(client, tokens("town", TOWN), elimination_id, "town-review", TOWN_REVIEW)
    assert reviewed.status_code == 200, reviewed.text


async def test_approval_ends_monitoring_keeps_the_record_and_schedules_a_lookback(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    elimination_id = await _opened(monitoring, monitoring_app, token_for, session, lifted_year=2019)
    await _to_approval(monitoring, monitoring_app, token_for, elimination_id)
    district = token_for("district", DISTRICT)
    approved = await _step(
        monitoring, district, elimination_id, "approval", {"decided_on": "2025-08-10", "approved": True}
    )
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert (body["status"], body["category_after"], body["decided_on"]) == ("已消除", "脱贫不稳定户", "2025-08-10")
    assert [s["step"] for s in body["steps"]] == ["入户核实", "民主评议公示", "乡镇审核", "区级审定"]
    assert body["steps"][1]["notice_from"] == "2025-08-05"
    assert [s["actor_role"] for s in body["steps"]] == ["village", "village", "town", "district"]

    household = (await monitoring.get(f"/households/{body['household_id']}", headers=district)).json()
    assert (household["category"], household["risk_eliminated_on"]) == ("脱贫不稳定户", "2025-08-10")
    [lookback] = (await monitoring.get(f"/households/{body['household_id']}/lookbacks", headers=district)).json()[
        "items"
    ]
    assert (lookback["due_on"], lookback["elimination_id"]) == ("2025-11-10", elimination_id)
    topics = await outbox_topics(session)
    assert ("monitoring.elimination.changed", "elimination", "opened") in topics
    assert ("monitoring.elimination.changed", "elimination", "区级审定:passed") in topics
    assert ("monitoring.measure.changed", "lookback", "created") in topics
    kept = await monitoring.get("/eliminations", params={"status": "已消除"}, headers=token_for("village", VILLAGE))
    assert [e["id"] for e in kept.json()["items"]] == [elimination_id]


async def test_a_household_never_lifted_keeps_its_type_and_the_lookback_delay_is_a_setting(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    elimination_id = await _opened(monitoring, monitoring_app, token_for, session_on(COMMON))
    await _to_approval(monitoring, monitoring_app, token_for, elimination_id)
    monitoring_app.state.ctx.settings.rules = RuleSettings(elimination_lookback_after_months=6)
    district = token_for("district", DISTRICT)
    approved = await _step(
        monitoring, district, elimination_id, "approval", {"decided_on": "2025-08-10", "approved": True}
    )
    assert approved.json()["category_after"] == "脱贫不稳定户"
    household_id = approved.json()["household_id"]
    [lookback] = (await monitoring.get(f"/households/{household_id}/lookbacks", headers=district)).json()["items"]
    assert lookback["due_on"] == "2026-02-10"


async def test_the_notice_runs_at_least_five_days_both_ends_included(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    elimination_id = await _opened(monitoring, monitoring_app, token_for, session)
    village = token_for("village", VILLAGE)
    set_today(monitoring_app, date(2025, 8, 20))
    await _step(monitoring, village, elimination_id, "verification", {"done_on": "2025-08-02", "passed": True})
    short = await _step(monitoring, village, elimination_id, "notice", {**NOTICE, "notice_to": "2025-08-08"})
    assert short.status_code == 422
    assert short.json()["rule"] == "notice-min-days"
    current = (await monitoring.get(f"/eliminations/{elimination_id}", headers=village)).json()
    assert (current["status"], len(current["steps"]), current["notice_from"]) == ("待评议公示", 1, None)

    monitoring_app.state.ctx.settings.rules = RuleSettings(notice_min_days=7)
    assert (await _step(monitoring, village, elimination_id, "notice", NOTICE)).json()["rule"] == "notice-min-days"
    monitoring_app.state.ctx.settings.rules = RuleSettings()
    ok = await _step(monitoring, village, elimination_id, "notice", NOTICE)
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "待乡镇审核"
    assert await count(session, EliminationStepRecord) == 2


async def test_steps_keep_their_order_dates_version_and_reasons(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    elimination_id = await _opened(monitoring, monitoring_app, token_for, session_on(COMMON))
    village = token_for("village", VILLAGE)
    url = f"/eliminations/{elimination_id}"
    set_today(monitoring_app, date(2025, 8, 10))
    early = await _step(monitoring, village, elimination_id, "notice", NOTICE)
    assert early.status_code == 409
    assert early.json()["rule"] == "elimination-step-order"
    missing = await monitoring.post(
        f"{url}/verification", json={"done_on": "2025-08-02", "passed": True}, headers=village
    )
    assert missing.status_code == 428
    stale = await monitoring.post(
        f"{url}/verification", json={"done_on": "2025-08-02", "passed": True}, headers={**village, "If-Match": '"9"'}
    )
    assert stale.status_code == 412
    before = await _step(monitoring, village, elimination_id, "verification", {"done_on": "2025-07-31", "passed": True})
    assert before.json()["rule"] == "elimination-step-dates"
    future = await _step(monitoring, village, elimination_id, "verification", {"done_on": "2025-08-11", "passed": True})
    assert future.json()["rule"] == "elimination-step-dates"
    await _step(monitoring, village, elimination_id, "verification", {"done_on": "2025-08-02", "passed": True})
    await _step(monitoring, village, elimination_id, "notice", NOTICE)
    await _step(monitoring, token_for("town", TOWN), elimination_id, "town-review", TOWN_REVIEW)

    town = await _step(
        monitoring, token_for("town", TOWN), elimination_id, "approval", {"decided_on": "2025-08-10", "approved": True}
    )
    assert town.status_code == 403
    district = token_for("district", DISTRICT)
    no_reason = await _step(
        monitoring, district, elimination_id, "approval", {"decided_on": "2025-08-10", "approved": False}
    )
    assert no_reason.json()["rule"] == "refusal-reason"
    refused = await _step(
        monitoring,
        district,
        elimination_id,
        "approval",
        {"decided_on": "2025-08-10", "approved": False, "note": "收入数据待复核"},
    )
    assert refused.json()["status"] == "未通过"
    household_id = refused.json()["household_id"]
    household = (await monitoring.get(f"/households/{household_id}", headers=district)).json()
    assert household["category"] == "脱贫不稳定户"
    again = await monitoring.post(f"/households/{household_id}/eliminations", json=OPEN, headers=village)
    assert again.status_code == 201, again.text


async def test_approval_checks_the_preconditions_again(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    elimination_id = await _opened(monitoring, monitoring_app, token_for, session)
    await _to_approval(monitoring, monitoring_app, token_for, elimination_id)
    household_id = (
        await monitoring.get(f"/eliminations/{elimination_id}", headers=token_for("village", VILLAGE))
    ).json()["household_id"]
    await session.execute(update(Member).where(Member.household_id == household_id).values(medical_insured=False))
    district = token_for("district", DISTRICT)
    refused = await _step(
        monitoring, district, elimination_id, "approval", {"decided_on": "2025-08-10", "approved": True}
    )
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"guarantees-and-water-secure"}
    current = (await monitoring.get(f"/eliminations/{elimination_id}", headers=district)).json()
    assert (current["status"], len(current["steps"])) == ("待区级审定", 3)
    household = (await monitoring.get(f"/households/{household_id}", headers=district)).json()
    assert household["category"] == "脱贫不稳定户"
    assert await session.scalar(select(Lookback.id)) is None


async def test_each_step_is_taken_by_its_role(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    elimination_id = await _opened(monitoring, monitoring_app, token_for, session)
    set_today(monitoring_app, date(2025, 8, 12))
    village, town, district = token_for("village", VILLAGE), token_for("town", TOWN), token_for("district", DISTRICT)
    verification = {"done_on": "2025-08-02", "passed": True}
    approval = {"decided_on": "2025-08-11", "approved": True}
    plan = [
        ("verification", verification, village, (town, district)),
        ("notice", NOTICE, village, (town, district)),
        ("town-review", TOWN_REVIEW, town, (village, district)),
        ("approval", approval, district, (village, town)),
    ]
    for step, body, allowed, others in plan:
        for other in others:
            refused = await _step(monitoring, other, elimination_id, step, body)
            assert refused.status_code == 403, (step, refused.text)
            assert refused.json()["rule"] == "step-by-its-role"
        done = await _step(monitoring, allowed, elimination_id, step, body)
        assert done.status_code == 200, (step, done.text)
    assert done.json()["status"] == "已消除"
    assert await count(session, EliminationStepRecord) == 4


async def test_a_town_that_disagrees_ends_the_elimination_with_its_opinion(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    elimination_id = await _opened(monitoring, monitoring_app, token_for, session_on(COMMON))
    village, town = token_for("village", VILLAGE), token_for("town", TOWN)
    set_today(monitoring_app, date(2025, 8, 10))
    await _step(monitoring, village, elimination_id, "verification", {"done_on": "2025-08-02", "passed": True})
    await _step(monitoring, village, elimination_id, "notice", NOTICE)
    early = await _step(monitoring, town, elimination_id, "town-review", {**TOWN_REVIEW, "done_on": "2025-08-04"})
    assert early.json()["rule"] == "elimination-step-dates"
    silent = await _step(monitoring, town, elimination_id, "town-review", {"done_on": "2025-08-10", "passed": False})
    assert silent.json()["rule"] == "refusal-reason"
    refused = await _step(
        monitoring, town, elimination_id, "town-review", {"done_on": "2025-08-10", "passed": False, "note": "收入不稳"}
    )
    assert refused.status_code == 200, refused.text
    assert refused.json()["status"] == "未通过"
    assert refused.json()["steps"][-1]["note"] == "收入不稳"


async def test_an_elimination_awaiting_its_town_review_is_still_the_one_in_progress(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    elimination_id = await _opened(monitoring, monitoring_app, token_for, session_on(COMMON))
    village = token_for("village", VILLAGE)
    set_today(monitoring_app, date(2025, 8, 10))
    await _step(monitoring, village, elimination_id, "verification", {"done_on": "2025-08-02", "passed": True})
    waiting = await _step(monitoring, village, elimination_id, "notice", NOTICE)
    assert waiting.json()["status"] == "待乡镇审核"
    twin = await monitoring.post(
        f"/households/{waiting.json()['household_id']}/eliminations", json=OPEN, headers=village
    )
    assert twin.status_code == 409
    assert twin.json()["rule"] == "one-open-elimination"
