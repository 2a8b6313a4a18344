"""Opening a risk elimination: every precondition, each refusal naming its rule, and nothing written on refusal."""

from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from conftest import DISTRICT, OTHER_VILLAGE, VILLAGE
from monitoring_api.elimination.models import Elimination
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings

from .helpers import member, person_id
from .test_measure_helpers import Sessions, Tokens, add_income, child, count, make_household, set_today, worker
from .test_sector_helpers import department_key, push, run_job

INCLUDED = date(2025, 1, 15)
OPEN = {"kind": "帮扶消除", "risk_resolved": True, "risk_note": "务工收入稳定, 大病已治愈"}


async def eligible(client: httpx.AsyncClient, tokens: Tokens, session: Any, *, measures: int = 1, **fields: Any) -> int:
    """A subject that meets every precondition on 2025-07-16 (included 2025-01-15)."""
    household_id = await make_household(client, tokens, session, included_on=INCLUDED, **fields)
    for _ in range(measures):
        body = {
            "category": "就业帮扶",
            "owner": "王干部",
            "start_on": "2025-02-01",
            "status": "已完成",
            "results": "县外务工, 月收入4000元",
        }
        response = await client.post(
            f"/households/{household_id}/measures", json=body, headers=tokens("district", DISTRICT)
        )
        assert response.status_code == 201, response.text
    await add_income(session, household_id, 2024, "9000")
    await add_income(session, household_id, 2025, "9600")
    return household_id


async def _open(client: httpx.AsyncClient, tokens: Tokens, household_id: int, **body: Any) -> httpx.Response:
    return await client.post(
        f"/households/{household_id}/eliminations", json={**OPEN, **body}, headers=tokens("village", VILLAGE)
    )


def _failed(response: httpx.Response) -> set[str]:
    assert response.status_code == 422, response.text
    return {e["field"] for e in response.json()["errors"]}


async def test_elimination_opens_only_more_than_six_months_after_inclusion(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    household_id = await eligible(monitoring, token_for, session)
    set_today(monitoring_app, date(2025, 7, 15))
    refused = await _open(monitoring, token_for, household_id)
    assert refused.json()["rule"] == "elimination-preconditions"
    assert _failed(refused) == {"elimination-min-months"}
    assert "2025-07-16" in refused.json()["errors"][0]["message"]
    assert await count(session, Elimination) == 0

    set_today(monitoring_app, date(2025, 7, 16))
    opened = await _open(monitoring, token_for, household_id)
    assert opened.status_code == 201, opened.text
    body = opened.json()
    assert (body["status"], body["kind"], body["category_before"]) == ("待入户核实", "帮扶消除", "脱贫不稳定户")
    assert body["evidence"]["delivered_measures"] == 1
    assert body["evidence"]["incomes"] == {"2025": "9600.00", "2024": "9000.00"}
    assert opened.headers["Location"] == f"/eliminations/{body['id']}"


async def test_the_months_rule_is_a_setting(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    household_id = await eligible(monitoring, token_for, session_on(COMMON))
    monitoring_app.state.ctx.settings.rules = RuleSettings(elimination_min_months=3)
    set_today(monitoring_app, date(2025, 4, 15))
    assert _failed(await _open(monitoring, token_for, household_id)) == {"elimination-min-months"}
    set_today(monitoring_app, date(2025, 4, 16))
    assert (await _open(monitoring, token_for, household_id)).status_code == 201


async def test_every_failed_precondition_is_listed_and_nothing_is_written(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 3, 1))
    session = session_on(COMMON)
    household_id = await make_household(
        monitoring,
        token_for,
        session,
        included_on=INCLUDED,
        risk_causes=["因病"],
        members=[member(labour_skill="普通劳动力", medical_insured=False), child("20150301", "非在校生")],
    )
    await add_income(session, household_id, 2025, "7500")
    response = await _open(monitoring, token_for, household_id, risk_resolved=False, risk_note=None)
    assert response.json()["rule"] == "elimination-preconditions"
    assert _failed(response) == {
        "elimination-min-months",
        "elimination-min-measures",
        "income-stably-above-threshold",
        "guarantees-and-water-secure",
        "original-risk-resolved",
        "no-remaining-risk",
    }
    detail = response.json()["detail"]
    assert "elimination-min-measures" in detail and "no-remaining-risk" in detail
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "1 year(s) of income recorded, 2 needed" in messages["income-stably-above-threshold"]
    assert "2025: 7500.00 is not above the threshold 7500" in messages["income-stably-above-threshold"]
    assert "out of school" in messages["guarantees-and-water-secure"]
    assert "not medically insured" in messages["guarantees-and-water-secure"]
    assert await count(session, Elimination) == 0
    risk = await session.scalar(select(Household.risk_causes).where(Household.id == household_id))
    assert risk == ["因病"]


async def test_delivered_measures_count_and_the_minimum_is_a_setting(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 8, 1))
    household_id = await eligible(monitoring, token_for, session_on(COMMON), measures=0)
    headers = token_for("village", VILLAGE)
    url = f"/households/{household_id}/measures"
    base = {"category": "产业帮扶", "owner": "王干部", "start_on": "2025-02-01"}
    for extra in ({"status": "计划中"}, {"status": "实施中"}, {"status": "已终止", "results": "中途退出"}):
        assert (await monitoring.post(url, json={**base, **extra}, headers=headers)).status_code == 201
    assert _failed(await _open(monitoring, token_for, household_id)) == {"elimination-min-measures"}
    running = {"status": "实施中", "results": "养鸡200羽, 已出栏"}
    assert (await monitoring.post(url, json={**base, **running}, headers=headers)).status_code == 201

    monitoring_app.state.ctx.settings.rules = RuleSettings(elimination_min_measures=2)
    assert _failed(await _open(monitoring, token_for, household_id)) == {"elimination-min-measures"}
    monitoring_app.state.ctx.settings.rules = RuleSettings()
    assert (await _open(monitoring, token_for, household_id)).status_code == 201


async def test_income_must_be_above_the_threshold_in_the_last_two_recorded_years(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2026, 3, 1))
    session = session_on(COMMON)
    household_id = await eligible(monitoring, token_for, session)
    await add_income(session, household_id, 2026, "7700")  # equal to the 2026 threshold: not above it
    failed = await _open(monitoring, token_for, household_id)
    assert _failed(failed) == {"income-stably-above-threshold"}
    assert "2026: 7700.00 is not above the threshold 7700" in failed.json()["errors"][0]["message"]
    assert "2024" not in failed.json()["errors"][0]["message"]  # only the last two years count

    stable = await eligible(monitoring, token_for, session)
    await add_income(session, stable, 2023, "3000")  # an old low year does not matter
    assert (await _open(monitoring, token_for, stable)).status_code == 201
    monitoring_app.state.ctx.settings.rules = RuleSettings(elimination_income_stable_years=3)
    third = await eligible(monitoring, token_for, session)
    assert _failed(await _open(monitoring, token_for, third)) == {"income-stably-above-threshold"}


async def test_guarantees_are_read_from_member_facts(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 9, 1))
    session = session_on(COMMON)
    pupil = await eligible(monitoring, token_for, session, members=[worker(), child("20150301", "小学")])
    assert (await _open(monitoring, token_for, pupil)).status_code == 201
    toddler = await eligible(monitoring, token_for, session, members=[worker(), child("20200301", "非在校生")])
    assert (await _open(monitoring, token_for, toddler)).status_code == 201
    dropout = await eligible(monitoring, token_for, session, members=[worker(), child("20100301", "非在校生")])
    assert _failed(await _open(monitoring, token_for, dropout)) == {"guarantees-and-water-secure"}
    sixteen = await eligible(monitoring, token_for, session, members=[worker(), child("20090301", "非在校生")])
    assert (await _open(monitoring, token_for, sixteen)).status_code == 201
    uninsured = await eligible(monitoring, token_for, session, members=[worker(medical_insured=False)])
    assert _failed(await _open(monitoring, token_for, uninsured)) == {"guarantees-and-water-secure"}
    monitoring_app.state.ctx.settings.rules = RuleSettings(compulsory_school_age_max=16)
    older = await eligible(monitoring, token_for, session, members=[worker(), child("20090301", "非在校生")])
    assert _failed(await _open(monitoring, token_for, older)) == {"guarantees-and-water-secure"}


def _appraisal(id_number: str, grade: str, on: str) -> dict[str, str]:
    return {"id_number": id_number, "grade": grade, "appraised_on": on, "appraisal_no": f"J-{id_number}-{on}"}


async def _crosscheck(
    client: httpx.AsyncClient, sessions: Sessions, data_type: str, rows: list[dict[str, str]]
) -> None:
    """A department pushes a batch and the worker's cross-check job runs, as in production."""
    batch_id, _ = await push(client, await department_key(sessions, data_type), data_type, rows)
    assert await run_job(sessions, batch_id) == "已完成"


async def test_housing_findings_of_a_real_batch_block_elimination_until_resolved(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 9, 1))
    session = session_on(COMMON)
    graded_d = await eligible(monitoring, token_for, session, members=[worker(id_number=(d_head := person_id()))])
    never = await eligible(monitoring, token_for, session)
    await _crosscheck(monitoring, session_on, "housing_appraisal", [_appraisal(d_head, "D", "2025-06-01")])

    unsafe = await _open(monitoring, token_for, graded_d)
    assert _failed(unsafe) == {"guarantees-and-water-secure"}
    assert "house_unsafe" in unsafe.json()["errors"][0]["message"]
    not_appraised = await _open(monitoring, token_for, never)
    assert _failed(not_appraised) == {"guarantees-and-water-secure"}
    assert "house_not_appraised" in not_appraised.json()["errors"][0]["message"]
    warnings = (await monitoring.get(f"/households/{graded_d}/warnings", headers=token_for("village", VILLAGE))).json()
    assert [(w["line"], w["grade"], w["source"]) for w in warnings["items"]] == [("保障线", "红色", "区住建局")]

    # The renovated house is appraised B in the next batch: the finding closes and the warning with it.
    await _crosscheck(monitoring, session_on, "housing_appraisal", [_appraisal(d_head, "B", "2025-08-20")])
    opened = await _open(monitoring, token_for, graded_d)
    assert opened.status_code == 201, opened.text
    assert opened.json()["evidence"]["open_guarantee_warnings"] == []
    assert _failed(await _open(monitoring, token_for, never)) == {"guarantees-and-water-secure"}


async def test_an_overdue_water_problem_blocks_elimination_until_the_village_handles_it(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 9, 1))
    session = session_on(COMMON)
    household_id = await eligible(monitoring, token_for, session, members=[worker(id_number=(head := person_id()))])
    await _crosscheck(monitoring, session_on, "housing_appraisal", [_appraisal(head, "A", "2025-06-01")])
    problem = {"problem_no": "W-17", "id_number": head, "region_code": "", "description": "水压不足"}
    problem |= {"reported_on": "2025-07-01", "deadline": "2025-08-15", "resolved_on": ""}
    await _crosscheck(monitoring, session_on, "water_problem", [problem])

    refused = await _open(monitoring, token_for, household_id)
    assert _failed(refused) == {"guarantees-and-water-secure"}
    assert "water_problem_overdue" in refused.json()["errors"][0]["message"]

    village = token_for("village", VILLAGE)
    [finding] = (
        await monitoring.get("/discrepancies", params={"rule": "water_problem_overdue"}, headers=village)
    ).json()["items"]
    handled = await monitoring.patch(
        f"/discrepancies/{finding['id']}",
        json={"status": "已处理", "note": "已接通自来水"},
        headers={**village, "If-Match": f'"{finding["version"]}"'},
    )
    assert handled.status_code == 200, handled.text
    opened = await _open(monitoring, token_for, household_id)
    assert opened.status_code == 201, opened.text


async def test_risk_causes_must_be_gone_or_cleared_with_the_elimination(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 9, 1))
    session = session_on(COMMON)
    household_id = await eligible(monitoring, token_for, session, risk_causes=["因病", "因学"])
    assert _failed(await _open(monitoring, token_for, household_id)) == {"no-remaining-risk"}
    assert _failed(await _open(monitoring, token_for, household_id, risk_note="  ")) == {
        "no-remaining-risk",
        "original-risk-resolved",
    }
    opened = await _open(monitoring, token_for, household_id, clear_risk_causes=True)
    assert opened.status_code == 201, opened.text
    assert opened.json()["cleared_risk_causes"] == ["因病", "因学"]
    household = await monitoring.get(f"/households/{household_id}", headers=token_for("village", VILLAGE))
    assert household.json()["risk_causes"] == []


async def test_a_household_where_nobody_can_work_is_refused_under_its_own_rule(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 9, 1))
    session = session_on(COMMON)
    household_id = await eligible(
        monitoring,
        token_for,
        session,
        members=[worker(labour_skill="丧失劳动力"), worker(labour_skill="无劳动力", relation="配偶")],
    )
    response = await _open(monitoring, token_for, household_id)
    assert response.status_code == 422
    assert response.json()["rule"] == "whole-household-no-labour"
    assert _failed(response) == {"whole-household-no-labour"}
    assert await count(session, Elimination) == 0


async def test_only_subjects_once_at_a_time_and_in_scope(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 9, 1))
    session = session_on(COMMON)
    lifted = await eligible(monitoring, token_for, session, category="脱贫户")
    not_subject = await _open(monitoring, token_for, lifted)
    assert not_subject.status_code == 422
    assert not_subject.json()["rule"] == "monitoring-subject"

    household_id = await eligible(monitoring, token_for, session)
    assert (await _open(monitoring, token_for, household_id)).status_code == 201
    twice = await _open(monitoring, token_for, household_id)
    assert twice.status_code == 409
    assert twice.json()["rule"] == "one-open-elimination"

    theirs = await eligible(monitoring, token_for, session, region=OTHER_VILLAGE)
    assert (await _open(monitoring, token_for, theirs)).status_code == 404
    cadre = await monitoring.post(
        f"/households/{household_id}/eliminations", json=OPEN, headers=token_for("cadre", VILLAGE)
    )
    assert cadre.status_code == 403
    assert await count(session, Elimination) == 1
