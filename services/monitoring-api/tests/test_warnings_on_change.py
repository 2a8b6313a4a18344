"""Warnings follow the data: a member's change recomputes the household's warnings through the outbox."""

from collections.abc import Callable
from datetime import date

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import VILLAGE
from dixian_shared.contracts import SUBSCRIBERS, WARNINGS_ON_CHANGE, Topic
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings
from monitoring_api.warnings import service

from .helpers import household, member

Tokens = Callable[..., dict[str, str]]


def test_household_and_member_changes_reach_the_recompute() -> None:
    assert WARNINGS_ON_CHANGE in SUBSCRIBERS[Topic.member_changed]
    assert WARNINGS_ON_CHANGE in SUBSCRIBERS[Topic.household_changed]


async def test_a_member_losing_insurance_raises_a_guarantee_warning_after_the_change(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    created = (
        await monitoring.post("/households", json=household(VILLAGE, [member(medical_insured=True)]), headers=headers)
    ).json()
    person = created["members"][0]
    before = await monitoring.get(f"/households/{created['id']}/warnings", headers=headers)
    assert [w["rule"] for w in before.json()["items"]] == []

    changed = await monitoring.patch(
        f"/members/{person['id']}", json={"medical_insured": False}, headers={**headers, "If-Match": '"1"'}
    )
    assert changed.status_code == 200
    # What the subscribed actor does with the member_changed event:
    session = session_on(COMMON)
    counts = await service.recompute_after_change(
        session, "member", person["id"], rules=RuleSettings(), today=date(2024, 6, 1)
    )
    await session.commit()
    assert counts
    after = await monitoring.get(f"/households/{created['id']}/warnings", headers=headers)
    assert any(w["line"] == "保障线" for w in after.json()["items"]), after.json()


async def test_an_unknown_member_recomputes_nothing(session_on: Callable[..., AsyncSession]) -> None:
    counts = await service.recompute_after_change(
        session_on(COMMON), "member", 999_999, rules=RuleSettings(), today=date(2024, 6, 1)
    )
    assert counts == {}
