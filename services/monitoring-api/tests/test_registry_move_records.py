"""A household that moves village takes its records along: the new village sees them, the old one no longer does."""

from collections.abc import Callable
from datetime import date

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import OTHER_VILLAGE, TOWN, VILLAGE
from monitoring_api.assessments.models import AssessmentReview
from monitoring_api.deps import get_today
from monitoring_api.models import COMMON

from .helpers import household

Tokens = Callable[..., dict[str, str]]


async def test_measures_follow_a_household_to_its_new_village(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens
) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: date(2024, 6, 1)
    old, new, town = token_for("village", VILLAGE), token_for("village", OTHER_VILLAGE), token_for("town", TOWN)
    created = (await monitoring.post("/households", json=household(VILLAGE), headers=old)).json()
    measure = await monitoring.post(
        f"/households/{created['id']}/measures",
        json={"category": "产业帮扶", "owner": "李干部", "start_on": "2024-05-01"},
        headers=old,
    )
    assert measure.status_code == 201, measure.text
    measure_id = measure.json()["id"]

    moved = await monitoring.post(
        f"/households/{created['id']}/move",
        json={"to_region_code": OTHER_VILLAGE, "moved_on": "2024-05-20", "reason": "搬迁"},
        headers=town,
    )
    assert moved.status_code == 200, moved.text

    assert (await monitoring.get(f"/measures/{measure_id}", headers=old)).status_code == 404
    assert (
        await monitoring.patch(f"/measures/{measure_id}", json={"owner": "王"}, headers={**old, "If-Match": '"1"'})
    ).status_code == 404
    seen = await monitoring.get(f"/measures/{measure_id}", headers=new)
    assert seen.status_code == 200
    assert seen.json()["region_code"] == OTHER_VILLAGE
    listed = await monitoring.get(f"/households/{created['id']}/measures", headers=new)
    assert [m["id"] for m in listed.json()["items"]] == [measure_id]


async def test_a_town_review_follows_its_assessment_to_the_new_village(
    monitoring: httpx.AsyncClient,
    monitoring_app: FastAPI,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: date(2024, 6, 20)
    old, town = token_for("village", VILLAGE), token_for("town", TOWN)
    created = (await monitoring.post("/households", json=household(VILLAGE), headers=old)).json()
    assessment = await monitoring.post(
        "/assessments",
        json={"household_id": created["id"], "month": "2024-06", "outcome": "暂不纳入", "reasons": "收入尚可"},
        headers=old,
    )
    assert assessment.status_code == 201, assessment.text
    review = await monitoring.post(
        f"/assessments/{assessment.json()['id']}/town-review", json={"agree": True, "opinion": "同意"}, headers=town
    )
    assert review.status_code == 201, review.text

    moved = await monitoring.post(
        f"/households/{created['id']}/move",
        json={"to_region_code": OTHER_VILLAGE, "moved_on": "2024-06-20"},
        headers=town,
    )
    assert moved.status_code == 200
    table = AssessmentReview.__table__
    regions = (await session_on(COMMON).scalars(select(table.c.region_code))).all()
    assert regions == [OTHER_VILLAGE]
