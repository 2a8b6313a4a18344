"""A household's category is decided by workflows: PATCH refuses it; the district corrects data with a reason."""

from collections.abc import Callable
from datetime import date

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, TOWN, VILLAGE
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON

from .helpers import household

Tokens = Callable[..., dict[str, str]]


async def _created(client: httpx.AsyncClient, tokens: Tokens, **fields: str) -> dict:  # type: ignore[type-arg]
    response = await client.post("/households", json=household(VILLAGE, **fields), headers=tokens("village", VILLAGE))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_patch_refuses_the_category_and_names_the_workflows(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    created = await _created(monitoring, token_for, category="一般农户")
    for role, region in (("village", VILLAGE), ("district", DISTRICT)):
        response = await monitoring.patch(
            f"/households/{created['id']}",
            json={"category": "边缘易致贫户", "head_name": "王五"},
            headers={**token_for(role, region), "If-Match": '"1"'},
        )
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["rule"] == "category-by-workflow"
        assert "识别纳入" in problem["detail"] and "风险消除" in problem["detail"]
        assert "category-corrections" in problem["detail"]
        english = await monitoring.patch(
            f"/households/{created['id']}",
            json={"category": "边缘易致贫户"},
            headers={**token_for(role, region), "If-Match": '"1"', "Accept-Language": "en"},
        )
        assert "inclusion case" in english.json()["detail"] and "risk elimination" in english.json()["detail"]
        assert [e["field"] for e in problem["errors"]] == ["body.category"]
    row = (await session_on(COMMON).execute(select(Household).where(Household.id == created["id"]))).scalar_one()
    assert (row.category, row.head_name, row.version, row.included_on) == ("一般农户", "张三", 1, None)


async def test_the_district_corrects_a_category_with_a_reason_and_it_is_audited(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    created = await _created(monitoring, token_for, category="边缘易致贫户")
    url = f"/households/{created['id']}/category-corrections"
    reason = "省系统核对: 2019年已脱贫, 录入时类别填错"
    body = {"category": "脱贫不稳定户", "reason": reason, "included_on": "2024-03-01"}
    for role, region in (("village", VILLAGE), ("town", TOWN)):
        forbidden = await monitoring.post(url, json=body, headers=token_for(role, region))
        assert forbidden.status_code == 403, forbidden.text
    district = token_for("district", DISTRICT, subject="7")
    no_reason = await monitoring.post(url, json={**body, "reason": "   "}, headers=district)
    assert no_reason.status_code == 422
    assert no_reason.json()["rule"] == "correction-needs-reason"
    unchanged = await monitoring.post(url, json={**body, "category": "边缘易致贫户"}, headers=district)
    assert unchanged.status_code == 422
    assert unchanged.json()["rule"] == "correction-changes-category"

    corrected = await monitoring.post(url, json=body, headers={**district, "If-Match": '"1"'})
    assert corrected.status_code == 200, corrected.text
    assert (corrected.json()["category"], corrected.json()["included_on"]) == ("脱贫不稳定户", "2024-03-01")
    assert corrected.headers["ETag"] == '"2"'
    stale = await monitoring.post(url, json={**body, "category": "一般农户"}, headers={**district, "If-Match": '"1"'})
    assert stale.status_code == 412

    audit = COMMON.audit_log
    rows = (
        await session_on(COMMON).execute(
            select(audit).where(audit.c.entity == "household", audit.c.entity_id == str(created["id"]))
        )
    ).all()
    correction = [r for r in rows if r.action == "correct"]
    assert len(correction) == 1
    assert correction[0].actor == "user:7"
    assert correction[0].changes["category"] == ["边缘易致贫户", "脱贫不稳定户"]
    assert correction[0].changes["reason"] == body["reason"]


async def test_a_correction_into_a_subject_category_needs_an_inclusion_date(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    created = await _created(monitoring, token_for, category="一般农户")
    url = f"/households/{created['id']}/category-corrections"
    district = token_for("district", DISTRICT)
    body = {"category": "边缘易致贫户", "reason": "2024年6月区级审定纳入, 系统漏录"}
    missing = await monitoring.post(url, json=body, headers=district)
    assert missing.status_code == 422
    assert missing.json()["rule"] == "subject-has-inclusion-date"
    future = await monitoring.post(url, json={**body, "included_on": "2999-01-01"}, headers=district)
    assert future.status_code == 422
    done = await monitoring.post(url, json={**body, "included_on": "2024-06-20"}, headers=district)
    assert done.status_code == 200, done.text
    assert date.fromisoformat(done.json()["included_on"]) == date(2024, 6, 20)
