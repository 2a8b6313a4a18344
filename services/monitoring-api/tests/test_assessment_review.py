"""The town's review of 暂不纳入: agree, or disagree and turn it into 纳入监测 (a case opens) or 持续关注."""

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import OTHER_TOWN_VILLAGE, TOWN, VILLAGE
from dixian_shared.contracts import Topic
from monitoring_api.assessments.models import AssessmentReview
from monitoring_api.inclusion.models import InclusionCase
from monitoring_api.models import COMMON

from .test_assessments import Tokens, assessment, clock, count, new_household  # noqa: F401  (clock: autouse)

OTHER_TOWN = OTHER_TOWN_VILLAGE[:9] + "000"


async def not_now(monitoring: httpx.AsyncClient, token_for: Tokens, **kw: object) -> dict[str, object]:
    hid = await new_household(monitoring, token_for)
    body = assessment(hid, outcome="暂不纳入", **kw)
    response = await monitoring.post("/assessments", json=body, headers=token_for("village", VILLAGE))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_the_town_agrees_and_the_decision_stands(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    created = await not_now(monitoring, token_for)
    assert created["review_due_on"] == "2024-05-31"
    url = f"/assessments/{created['id']}/town-review"
    town = token_for("town", TOWN, name="王镇长")
    response = await monitoring.post(url, json={"agree": True, "opinion": "同意暂不纳入"}, headers=town)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["outcome"] == "暂不纳入"
    assert body["review"]["agree"] is True
    assert body["review"]["reviewer_name"] == "王镇长"
    assert body["review"]["reviewed_on"] == "2024-05-20"
    again = await monitoring.post(url, json={"agree": False, "opinion": "改", "outcome": "持续关注"}, headers=town)
    assert again.status_code == 409
    session = session_on(COMMON)
    assert await count(session, AssessmentReview) == 1
    payloads = (await session.scalars(select(COMMON.outbox.c.payload))).all()
    actions = [p["action"] for p in payloads if p["topic"] == Topic.assessment_changed]
    assert actions == ["created", "reviewed"]

    village = token_for("village", VILLAGE)
    locked = await monitoring.patch(
        f"/assessments/{created['id']}", json={"outcome": "持续关注"}, headers={**village, "If-Match": '"1"'}
    )
    assert locked.status_code == 422
    assert locked.json()["rule"] == "reviewed-is-final"


async def test_disagreeing_into_include_opens_a_case_from_the_village_assessment_date(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    created = await not_now(monitoring, token_for)
    response = await monitoring.post(
        f"/assessments/{created['id']}/town-review",
        json={"agree": False, "opinion": "医疗支出超预警线，应纳入", "outcome": "纳入监测"},
        headers=token_for("town", TOWN),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["outcome"] == "纳入监测"
    assert body["review"]["outcome_before"] == "暂不纳入"
    assert body["review"]["outcome_after"] == "纳入监测"
    assert body["review_due_on"] == "2024-05-31"
    case = (
        await monitoring.get(f"/inclusion-cases/{body['inclusion_case_id']}", headers=token_for("town", TOWN))
    ).json()
    assert case["channel"] == "干部排查"
    assert case["clue_date"] == "2024-05-10"


async def test_disagreeing_into_watch_changes_the_outcome(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    created = await not_now(monitoring, token_for)
    response = await monitoring.post(
        f"/assessments/{created['id']}/town-review",
        json={"agree": False, "opinion": "需持续关注", "outcome": "持续关注"},
        headers=token_for("town", TOWN),
    )
    assert response.status_code == 201
    assert response.json()["outcome"] == "持续关注"
    assert response.json()["inclusion_case_id"] is None
    assert response.headers["ETag"] == '"2"'


@pytest.mark.parametrize(
    "body",
    [
        {"agree": False, "opinion": "不同意"},
        {"agree": False, "opinion": "不同意", "outcome": "无风险"},
        {"agree": False, "opinion": "不同意", "outcome": "暂不纳入"},
        {"agree": True, "opinion": "同意", "outcome": "纳入监测"},
    ],
)
async def test_the_review_outcome_must_fit_the_verdict(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
    body: dict[str, object],
) -> None:
    created = await not_now(monitoring, token_for)
    response = await monitoring.post(
        f"/assessments/{created['id']}/town-review", json=body, headers=token_for("town", TOWN)
    )
    assert response.status_code == 422
    assert response.json()["rule"] == "town-review-outcome"
    session = session_on(COMMON)
    assert await count(session, AssessmentReview) == 0
    assert await count(session, InclusionCase) == 0


async def test_only_not_included_decisions_are_reviewed(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    hid = await new_household(monitoring, token_for)
    watched = await monitoring.post("/assessments", json=assessment(hid), headers=token_for("village", VILLAGE))
    response = await monitoring.post(
        f"/assessments/{watched.json()['id']}/town-review",
        json={"agree": True, "opinion": "同意"},
        headers=token_for("town", TOWN),
    )
    assert response.status_code == 422
    assert response.json()["rule"] == "town-reviews-not-included"


async def test_review_dates_lie_between_the_assessment_and_today(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    created = await not_now(monitoring, token_for)
    url = f"/assessments/{created['id']}/town-review"
    for day in ("2024-05-09", "2024-05-21"):
        response = await monitoring.post(
            url, json={"agree": True, "opinion": "同意", "reviewed_on": day}, headers=token_for("town", TOWN)
        )
        assert response.status_code == 422
        assert response.json()["rule"] == "review-date-in-range"


async def test_only_the_towns_own_users_review(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    created = await not_now(monitoring, token_for)
    url = f"/assessments/{created['id']}/town-review"
    body = {"agree": True, "opinion": "同意"}
    by_village = await monitoring.post(url, json=body, headers=token_for("village", VILLAGE))
    assert by_village.status_code == 403
    assert by_village.json()["rule"] == "town-review-by-town"
    by_district = await monitoring.post(url, json=body, headers=token_for("district", "360702000000"))
    assert by_district.status_code == 403
    by_other_town = await monitoring.post(url, json=body, headers=token_for("town", OTHER_TOWN))
    assert by_other_town.status_code == 404
    reviews = await session_on(COMMON).scalar(select(func.count()).select_from(AssessmentReview))
    assert reviews == 0
