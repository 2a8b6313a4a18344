"""Monthly assessment over HTTP: recording, the one-per-month rule, updates with If-Match, rules, roles and scoping."""

from collections.abc import Callable
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.contracts import Topic
from monitoring_api.assessments.models import Assessment
from monitoring_api.deps import get_today
from monitoring_api.inclusion.models import InclusionCase
from monitoring_api.models import COMMON

from .helpers import household

Tokens = Callable[..., dict[str, str]]
TODAY = date(2024, 5, 20)


@pytest.fixture(autouse=True)
def clock(monitoring_app: FastAPI) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY


async def new_household(monitoring: httpx.AsyncClient, token_for: Tokens, region: str = VILLAGE, **kw: object) -> int:
    response = await monitoring.post(
        "/households", json=household(region, **kw), headers=token_for("district", DISTRICT)
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def assessment(household_id: int, month: str = "2024-05", outcome: str = "持续关注", **kw: object) -> dict[str, object]:
    body: dict[str, object] = {
        "household_id": household_id,
        "month": month,
        "outcome": outcome,
        "risk_causes": ["因病"],
        "reasons": "户主住院，医疗支出大",
        "assessed_on": "2024-05-10",
    }
    body.update(kw)
    return body


async def count(session: AsyncSession, model: type) -> int:
    return await session.scalar(select(func.count()).select_from(model))  # type: ignore[return-value]


async def test_village_records_an_assessment_and_an_event_is_emitted(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    hid = await new_household(monitoring, token_for)
    response = await monitoring.post(
        "/assessments", json=assessment(hid, assessed_by="李干部"), headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["month"] == "2024-05-01"
    assert body["outcome"] == "持续关注"
    assert body["region_code"] == VILLAGE
    assert body["assessed_by"] == "李干部"
    assert body["review_due_on"] is None and body["inclusion_case_id"] is None
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/assessments/{body['id']}"
    outbox = COMMON.outbox
    payloads = (await session_on(COMMON).scalars(select(outbox.c.payload))).all()
    events = [p for p in payloads if p["topic"] == Topic.assessment_changed]
    assert [(e["entity_id"], e["action"]) for e in events] == [(body["id"], "created")]


async def test_month_may_be_the_first_day_but_not_another_day(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    hid = await new_household(monitoring, token_for)
    headers = token_for("village", VILLAGE)
    bad = await monitoring.post("/assessments", json=assessment(hid, month="2024-05-15"), headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.month"
    assert await count(session_on(COMMON), Assessment) == 0
    good = await monitoring.post("/assessments", json=assessment(hid, month="2024-05-01"), headers=headers)
    assert good.status_code == 201
    assert good.json()["month"] == "2024-05-01"


async def test_a_second_assessment_of_the_month_is_a_conflict_unless_it_is_an_update(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    hid = await new_household(monitoring, token_for)
    headers = token_for("village", VILLAGE)
    first = await monitoring.post("/assessments", json=assessment(hid), headers=headers)
    again = await monitoring.post(
        "/assessments", json=assessment(hid, outcome="无风险", risk_causes=[]), headers=headers
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/assessment-exists")
    assert f"已有研判记录 {first.json()['id']}" in again.json()["detail"]
    session = session_on(COMMON)
    assert await count(session, Assessment) == 1

    update = assessment(hid, outcome="无风险", risk_causes=[], reasons=None)
    replaced = await monitoring.post("/assessments", json=update, headers={**headers, "If-Match": '"1"'})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["id"] == first.json()["id"]
    assert replaced.json()["outcome"] == "无风险"
    assert replaced.headers["ETag"] == '"2"'
    stale = await monitoring.post("/assessments", json=update, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert await count(session, Assessment) == 1

    nothing_to_update = await monitoring.post(
        "/assessments", json=assessment(hid, month="2024-04"), headers={**headers, "If-Match": '"1"'}
    )
    assert nothing_to_update.status_code == 412
    assert await count(session, Assessment) == 1


async def test_patch_needs_if_match(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    hid = await new_household(monitoring, token_for)
    headers = token_for("village", VILLAGE)
    created = (await monitoring.post("/assessments", json=assessment(hid), headers=headers)).json()
    url = f"/assessments/{created['id']}"
    missing = await monitoring.patch(url, json={"reasons": "新情况"}, headers=headers)
    assert missing.status_code == 428
    changed = await monitoring.patch(url, json={"reasons": "新情况"}, headers={**headers, "If-Match": '"1"'})
    assert changed.status_code == 200
    assert changed.json()["reasons"] == "新情况"
    assert (await monitoring.get(url, headers=headers)).headers["ETag"] == '"2"'


@pytest.mark.parametrize("field", ["outcome", "risk_causes", "assessed_by", "assessed_on"])
async def test_patch_refuses_a_null_for_what_an_assessment_cannot_be_without(
    monitoring: httpx.AsyncClient, token_for: Tokens, field: str
) -> None:
    hid = await new_household(monitoring, token_for)
    headers = token_for("village", VILLAGE)
    created = (await monitoring.post("/assessments", json=assessment(hid), headers=headers)).json()
    url = f"/assessments/{created['id']}"
    before = (await monitoring.get(url, headers=headers)).json()
    response = await monitoring.patch(url, json={field: None}, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert f"body.{field}" in [e["field"] for e in response.json()["errors"]], response.text
    assert (await monitoring.get(url, headers=headers)).json() == before


async def test_patch_null_clears_the_reasons_only_where_the_outcome_may_be_without_them(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    hid = await new_household(monitoring, token_for)
    headers = token_for("village", VILLAGE)
    created = (await monitoring.post("/assessments", json=assessment(hid), headers=headers)).json()
    url = f"/assessments/{created['id']}"
    needed = await monitoring.patch(url, json={"reasons": None}, headers={**headers, "If-Match": '"1"'})
    assert needed.status_code == 422, needed.text
    assert (await monitoring.get(url, headers=headers)).json()["reasons"] == "户主住院，医疗支出大"
    body = {"outcome": "无风险", "risk_causes": [], "reasons": None}
    cleared = await monitoring.patch(url, json=body, headers={**headers, "If-Match": '"1"'})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["reasons"] is None and cleared.json()["outcome"] == "无风险"


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"outcome": "持续关注", "reasons": None}, "assessment-reasons-required"),
        ({"outcome": "暂不纳入", "reasons": "  "}, "assessment-reasons-required"),
        ({"outcome": "纳入监测", "reasons": None}, "assessment-reasons-required"),
        ({"outcome": "无风险", "risk_causes": ["因病"], "reasons": None}, "assessment-risk-causes"),
        ({"risk_causes": ["因病", "因病"]}, "assessment-risk-causes"),
        ({"month": "2024-06"}, "assessment-month-not-future"),
        ({"assessed_on": "2024-04-30"}, "assessed-on-in-month"),
        ({"assessed_on": "2024-05-21"}, "assessed-on-in-month"),
    ],
)
async def test_rules_refuse_and_nothing_is_written(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
    changes: dict[str, object],
    rule: str,
) -> None:
    hid = await new_household(monitoring, token_for)
    response = await monitoring.post(
        "/assessments", json=assessment(hid, **changes), headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 422, response.text
    assert response.json()["rule"] == rule
    assert response.headers["content-type"] == "application/problem+json"
    session = session_on(COMMON)
    assert await count(session, Assessment) == 0
    assert await count(session, InclusionCase) == 0


async def test_no_risk_needs_no_reasons(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    hid = await new_household(monitoring, token_for)
    body = assessment(hid, outcome="无风险", risk_causes=[], reasons=None)
    response = await monitoring.post("/assessments", json=body, headers=token_for("village", VILLAGE))
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("causes", [["因病", "因学", "因残", "其他", "缺劳动力", "因安全住房"], ["因懒"]])
async def test_risk_causes_come_from_the_list_and_are_at_most_five(
    monitoring: httpx.AsyncClient, token_for: Tokens, causes: list[str]
) -> None:
    hid = await new_household(monitoring, token_for)
    response = await monitoring.post(
        "/assessments", json=assessment(hid, risk_causes=causes), headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("body.risk_causes")


@pytest.mark.parametrize(("role", "region"), [("town", TOWN), ("district", DISTRICT)])
async def test_only_village_users_record_assessments(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], role: str, region: str
) -> None:
    hid = await new_household(monitoring, token_for)
    response = await monitoring.post("/assessments", json=assessment(hid), headers=token_for(role, region))
    assert response.status_code == 403
    assert response.json()["rule"] == "assessment-by-village"
    assert await count(session_on(COMMON), Assessment) == 0


async def test_a_village_cannot_see_or_change_another_villages_assessments(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    hid = await new_household(monitoring, token_for, OTHER_VILLAGE)
    theirs = token_for("village", OTHER_VILLAGE)
    created = (await monitoring.post("/assessments", json=assessment(hid, outcome="暂不纳入"), headers=theirs)).json()
    mine = token_for("village", VILLAGE)
    url = f"/assessments/{created['id']}"
    assert (await monitoring.get(url, headers=mine)).status_code == 404
    listing = await monitoring.get("/assessments", headers=mine)
    assert listing.status_code == 200 and listing.json()["items"] == []
    patch = await monitoring.patch(url, json={"reasons": "改"}, headers={**mine, "If-Match": '"1"'})
    assert patch.status_code == 404
    post = await monitoring.post("/assessments", json=assessment(hid, month="2024-04"), headers=mine)
    assert post.status_code == 404
    assert await count(session_on(COMMON), Assessment) == 1
    assert (await monitoring.get(url, headers=theirs)).json()["reasons"] == "户主住院，医疗支出大"
    other_town = token_for("town", OTHER_TOWN_VILLAGE[:9] + "000")
    assert (await monitoring.get(url, headers=other_town)).status_code == 404
    own_town = await monitoring.get("/assessments", headers=token_for("town", TOWN))
    assert [a["id"] for a in own_town.json()["items"]] == [created["id"]]


async def test_list_filters_by_month_and_outcome(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    headers = token_for("village", VILLAGE)
    first, second = await new_household(monitoring, token_for), await new_household(monitoring, token_for)
    await monitoring.post(
        "/assessments", json=assessment(first, month="2024-04", assessed_on="2024-04-03"), headers=headers
    )
    await monitoring.post("/assessments", json=assessment(first), headers=headers)
    await monitoring.post("/assessments", json=assessment(second, outcome="暂不纳入"), headers=headers)
    may = await monitoring.get("/assessments", params={"month": "2024-05"}, headers=headers)
    assert len(may.json()["items"]) == 2
    watched = await monitoring.get("/assessments", params={"outcome": "持续关注", "limit": 1}, headers=headers)
    assert len(watched.json()["items"]) == 1
    rest = await monitoring.get(
        "/assessments", params={"outcome": "持续关注", "cursor": watched.json()["next_cursor"]}, headers=headers
    )
    assert len(rest.json()["items"]) == 1 and rest.json()["next_cursor"] is None
    assert (await monitoring.get("/assessments", params={"month": "2024-13"}, headers=headers)).status_code == 422


async def test_include_opens_a_case_by_cadre_screening_unless_one_is_open(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    hid = await new_household(monitoring, token_for)
    headers = token_for("village", VILLAGE)
    response = await monitoring.post(
        "/assessments", json=assessment(hid, outcome="纳入监测", risk_causes=["因病", "因学"]), headers=headers
    )
    assert response.status_code == 201, response.text
    case_id = response.json()["inclusion_case_id"]
    assert case_id is not None
    case = (await monitoring.get(f"/inclusion-cases/{case_id}", headers=headers)).json()
    assert case["channel"] == "干部排查"
    assert case["clue_date"] == "2024-05-10"
    assert case["assessment_id"] == response.json()["id"]
    assert case["risk_causes"] == ["因病", "因学"]
    assert case["status"] == "办理中"
    assert [s["step"] for s in case["steps"]] == ["线索登记"]

    earlier = assessment(hid, month="2024-04", outcome="纳入监测", assessed_on="2024-04-28")
    assert (await monitoring.post("/assessments", json=earlier, headers=headers)).status_code == 201
    session = session_on(COMMON)
    assert await count(session, InclusionCase) == 1


async def test_changing_a_watch_into_include_opens_a_case_and_that_outcome_then_stays(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    hid = await new_household(monitoring, token_for)
    headers = token_for("village", VILLAGE)
    created = (await monitoring.post("/assessments", json=assessment(hid), headers=headers)).json()
    url = f"/assessments/{created['id']}"
    included = await monitoring.patch(url, json={"outcome": "纳入监测"}, headers={**headers, "If-Match": '"1"'})
    assert included.status_code == 200
    assert included.json()["inclusion_case_id"] is not None
    back = await monitoring.patch(url, json={"outcome": "持续关注"}, headers={**headers, "If-Match": '"2"'})
    assert back.status_code == 422
    assert back.json()["rule"] == "case-opening-is-final"


async def test_a_monitoring_subject_cannot_be_assessed_for_inclusion(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    hid = await new_household(monitoring, token_for, category="边缘易致贫户")
    response = await monitoring.post(
        "/assessments", json=assessment(hid, outcome="纳入监测"), headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 422
    assert response.json()["rule"] == "no-case-for-monitoring-subject"
    session = session_on(COMMON)
    assert await count(session, Assessment) == 0
    assert await count(session, InclusionCase) == 0


async def test_a_dissolved_household_is_neither_assessed_nor_given_a_case(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    hid = await new_household(monitoring, token_for)
    district = token_for("district", DISTRICT)
    [person] = (await monitoring.get(f"/households/{hid}", headers=district)).json()["members"]
    left = await monitoring.post(
        f"/members/{person['id']}/departure", json={"departed_on": "2024-05-01"}, headers=district
    )
    assert left.status_code == 200, left.text
    assert (await monitoring.get(f"/households/{hid}", headers=district)).json()["status"] == "注销"
    village = token_for("village", VILLAGE)
    assessed = await monitoring.post("/assessments", json=assessment(hid), headers=village)
    assert assessed.status_code == 422
    assert assessed.json()["rule"] == "no-work-on-dissolved-household"
    opened = await monitoring.post(
        "/inclusion-cases",
        json={"household_id": hid, "channel": "干部排查", "clue_date": "2024-05-02"},
        headers=village,
    )
    assert opened.status_code == 422
    assert opened.json()["rule"] == "no-work-on-dissolved-household"
    session = session_on(COMMON)
    assert await count(session, Assessment) == 0
    assert await count(session, InclusionCase) == 0


async def test_a_month_is_never_read_from_a_number(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    hid = await new_household(monitoring, token_for)
    response = await monitoring.post(
        "/assessments", json=assessment(hid, month=1714521600), headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.month"
