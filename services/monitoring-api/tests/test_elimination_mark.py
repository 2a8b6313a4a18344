"""Risk elimination marks the subject (标注风险消除): its identification type stays, the elimination is recorded, and
every list that asks "is this subject still at risk" reads the mark: visits, special groups, measures, overview,
screening and a new elimination or inclusion."""

from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI

from conftest import DISTRICT, TOWN, VILLAGE
from monitoring_api.models import COMMON

from .test_assessments import assessment
from .test_elimination import OPEN
from .test_elimination_steps import _opened, _step, _to_approval
from .test_measure_helpers import Sessions, Tokens, set_today

APPROVE = {"decided_on": "2025-08-10", "approved": True}


async def _eliminated(client: httpx.AsyncClient, app: FastAPI, tokens: Tokens, session: Any, **fields: Any) -> int:
    elimination_id = await _opened(client, app, tokens, session, **fields)
    await _to_approval(client, app, tokens, elimination_id)
    approved = await _step(client, tokens("district", DISTRICT), elimination_id, "approval", APPROVE)
    assert approved.status_code == 200, approved.text
    return int(approved.json()["household_id"])


async def test_approval_keeps_the_identification_type_and_records_the_elimination(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    household_id = await _eliminated(monitoring, monitoring_app, token_for, session_on(COMMON), category="边缘易致贫户")
    district = token_for("district", DISTRICT)
    household = (await monitoring.get(f"/households/{household_id}", headers=district)).json()
    [elimination] = (await monitoring.get(f"/households/{household_id}/eliminations", headers=district)).json()["items"]
    assert household["category"] == "边缘易致贫户"  # never rewritten to 一般农户
    assert household["included_on"] == "2025-01-15"
    assert (household["risk_eliminated_on"], household["elimination_id"]) == ("2025-08-10", elimination["id"])
    assert (elimination["category_before"], elimination["category_after"]) == ("边缘易致贫户", "边缘易致贫户")

    set_today(monitoring_app, date(2025, 9, 1))
    again = await monitoring.post(
        f"/households/{household_id}/eliminations", json=OPEN, headers=token_for("village", VILLAGE)
    )
    assert again.status_code == 422
    assert again.json()["rule"] == "monitoring-subject"
    assert "2025-08-10" in again.json()["detail"]


async def test_an_eliminated_subject_is_visited_every_two_months_not_monthly(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    household_id = await _eliminated(monitoring, monitoring_app, token_for, session_on(COMMON), category="边缘易致贫户")
    visit = {"visited_on": "2025-08-10", "cadre": "王干部", "findings": "务工稳定"}
    posted = await monitoring.post(f"/households/{household_id}/visits", json=visit, headers=token_for("town", TOWN))
    assert posted.status_code == 201, posted.text
    village = token_for("village", VILLAGE)
    set_today(monitoring_app, date(2025, 9, 20))  # more than a month: a subject at risk would be overdue
    listing = (await monitoring.get("/visits/overdue", headers=village)).json()
    assert household_id not in {i["household_id"] for i in listing["items"]}
    set_today(monitoring_app, date(2025, 10, 11))
    [item] = [i for i in (await monitoring.get("/visits/overdue", headers=village)).json()["items"]]
    assert (item["household_id"], item["cadence_months"], item["due_on"]) == (household_id, 2, "2025-10-10")


async def test_eliminated_subjects_leave_the_at_risk_lists_and_are_counted_in_the_overview(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    household_id = await _eliminated(monitoring, monitoring_app, token_for, session, category="脱贫不稳定户")
    district = token_for("district", DISTRICT)
    set_today(monitoring_app, date(2025, 9, 1))
    long_at_risk = (await monitoring.get("/special-groups/超过6个月未取消风险", headers=district)).json()
    assert household_id not in {i["household_id"] for i in long_at_risk["items"]}
    overview = (await monitoring.get("/overview", headers=district)).json()
    assert overview["total"]["by_category"]["脱贫不稳定户"] == 1
    assert overview["total"]["risk_eliminated"] == 1


async def test_a_new_risk_brings_an_eliminated_subject_back_through_inclusion(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    household_id = await _eliminated(monitoring, monitoring_app, token_for, session_on(COMMON), category="边缘易致贫户")
    set_today(monitoring_app, date(2025, 11, 10))
    village, town, district = token_for("village", VILLAGE), token_for("town", TOWN), token_for("district", DISTRICT)
    body = {
        "household_id": household_id,
        "channel": "干部排查",
        "clue_date": "2025-11-01",
        "risk_causes": ["因意外事故"],
    }
    opened = await monitoring.post("/inclusion-cases", json=body, headers=village)
    assert opened.status_code == 201, opened.text
    signed = {"authorisation_signed": True, "authorisation_date": "2025-11-02"}
    steps = [
        (village, {"step": "入户核实", "taken_on": "2025-11-02", **signed}),
        (
            village,
            {
                "step": "民主评议/公示",
                "taken_on": "2025-11-02",
                "notice_start": "2025-11-02",
                "notice_end": "2025-11-06",
            },
        ),
        (town, {"step": "乡镇审核", "taken_on": "2025-11-07", "agree": True, "opinion": "同意"}),
        (
            district,
            {"step": "区级审定", "taken_on": "2025-11-08", "decision": "纳入", "subject_kind": "突发严重困难户"},
        ),
    ]
    for headers, step in steps:
        taken = await monitoring.post(f"/inclusion-cases/{opened.json()['id']}/steps", json=step, headers=headers)
        assert taken.status_code in (200, 201), taken.text
    household = (await monitoring.get(f"/households/{household_id}", headers=district)).json()
    assert (household["category"], household["included_on"]) == ("突发严重困难户", "2025-11-08")
    assert (household["risk_eliminated_on"], household["elimination_id"]) == (None, None)


async def test_an_eliminated_subject_watched_again_must_be_reassessed_monthly(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    household_id = await _eliminated(monitoring, monitoring_app, token_for, session_on(COMMON))
    set_today(monitoring_app, date(2025, 9, 10))
    body = assessment(household_id, month="2025-09", outcome="持续关注", assessed_on="2025-09-05")
    posted = await monitoring.post("/assessments", json=body, headers=token_for("village", VILLAGE))
    assert posted.status_code == 201, posted.text
    set_today(monitoring_app, date(2025, 11, 1))  # October went by without an assessment
    overdue = (await monitoring.get("/assessments/overdue", headers=token_for("village", VILLAGE))).json()
    assert [(i["household_id"], i["kind"]) for i in overdue["items"]] == [(household_id, "持续关注未按月研判")]
