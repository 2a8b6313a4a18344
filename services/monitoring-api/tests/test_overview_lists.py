"""The overview counts what the lists list: one definition of the late-inclusion and the visit-cadence rules.

A seeded district is read through GET /overview and through the lists (GET /inclusion-cases/late, GET /visits/overdue)
under the default rules and under changed ones; the counts per town must equal the lists' items, and both must
move together when a threshold or a cadence changes (a copy of the rule in one place would break the equality).
"""

from collections import Counter
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings

from .test_measure_helpers import Sessions, Tokens, make_household, set_today

TODAY = date(2024, 6, 10)
OTHER_TOWN = "360702192000"
LATE, VISITS = "识别纳入超期未决", "走访逾期"


async def _visit(client: httpx.AsyncClient, tokens: Tokens, household_id: int, on: str) -> None:
    body = {"visited_on": on, "cadre": "王干部", "findings": "正常"}
    response = await client.post(f"/households/{household_id}/visits", json=body, headers=tokens("district", DISTRICT))
    assert response.status_code == 201, response.text


async def _case(client: httpx.AsyncClient, tokens: Tokens, session: Any, region: str, clue: str) -> None:
    household_id = await make_household(client, tokens, session, region=region, category="一般农户")
    body = {"household_id": household_id, "channel": "干部排查", "clue_date": clue}
    response = await client.post("/inclusion-cases", json=body, headers=tokens("village", region))
    assert response.status_code == 201, response.text


async def _seed(client: httpx.AsyncClient, tokens: Tokens, session: Any) -> dict[str, int]:
    subject = await make_household(client, tokens, session, included_on=date(2024, 1, 1))
    lifted = await make_household(client, tokens, session, category="脱贫户")
    lifted_long_ago = await make_household(client, tokens, session, region=OTHER_VILLAGE, category="脱贫户")
    eliminated = await make_household(
        client, tokens, session, region=OTHER_TOWN_VILLAGE, category="边缘易致贫户", included_on=date(2023, 6, 1)
    )
    await session.execute(
        update(Household).where(Household.id == eliminated).values(risk_eliminated_on=date(2024, 3, 1))
    )
    other_subject = await make_household(client, tokens, session, included_on=date(2024, 2, 1))
    for household_id in (subject, lifted, eliminated, other_subject):
        await _visit(client, tokens, household_id, "2024-05-01")
    await _visit(client, tokens, lifted_long_ago, "2024-04-01")
    await _case(client, tokens, session, VILLAGE, "2024-05-25")  # 16 days: late under the 15-day rule
    await _case(client, tokens, session, VILLAGE, "2024-05-26")  # 15 days: not yet
    await _case(client, tokens, session, OTHER_TOWN_VILLAGE, "2024-04-01")
    return {"subject": subject, "lifted": lifted, "lifted_long_ago": lifted_long_ago, "eliminated": eliminated}


async def _read(client: httpx.AsyncClient, tokens: Tokens) -> tuple[dict[str, dict[str, int]], dict[str, Counter]]:
    headers = tokens("district", DISTRICT)
    overview = (await client.get("/overview", headers=headers)).json()
    counted = {kind: {c["region_code"]: c["overdue"][kind] for c in overview["children"]} for kind in (LATE, VISITS)}
    for kind in (LATE, VISITS):
        counted[kind]["total"] = overview["total"]["overdue"][kind]
    late = (
        await client.get("/inclusion-cases/late", params={"status": "办理中", "limit": 500}, headers=headers)
    ).json()
    visits = (await client.get("/visits/overdue", params={"limit": 500}, headers=headers)).json()
    listed = {
        LATE: Counter(item["region_code"][:9] + "000" for item in late["items"]),
        VISITS: Counter(item["region_code"][:9] + "000" for item in visits["items"]),
    }
    return counted, listed


def _assert_same(counted: dict[str, dict[str, int]], listed: dict[str, Counter], expected: dict[str, dict]) -> None:
    for kind, per_town in expected.items():
        for town, number in per_town.items():
            assert counted[kind][town] == listed[kind][town] == number, (kind, town)
        assert counted[kind]["total"] == sum(listed[kind].values()) == sum(per_town.values()), kind


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (
            RuleSettings(),
            {LATE: {TOWN: 1, OTHER_TOWN: 1}, VISITS: {TOWN: 3, OTHER_TOWN: 0}},
        ),
        (
            # Twice the threshold: only the case from April is late.
            RuleSettings(clue_to_decision_max_days=30),
            {LATE: {TOWN: 0, OTHER_TOWN: 1}, VISITS: {TOWN: 3, OTHER_TOWN: 0}},
        ),
        (
            # The cadences swapped: lifted and eliminated households monthly, subjects at risk every two months.
            RuleSettings(visit_every_months_subject=2, visit_every_months_lifted=1),
            {LATE: {TOWN: 1, OTHER_TOWN: 1}, VISITS: {TOWN: 2, OTHER_TOWN: 1}},
        ),
    ],
    ids=["defaults", "30-day-threshold", "swapped-cadences"],
)
async def test_overview_counts_equal_the_lists(
    monitoring: httpx.AsyncClient,
    monitoring_app: FastAPI,
    token_for: Tokens,
    session_on: Sessions,
    rules: RuleSettings,
    expected: dict[str, dict[str, int]],
) -> None:
    set_today(monitoring_app, TODAY)
    await _seed(monitoring, token_for, session_on(COMMON))
    monitoring_app.state.ctx.settings.rules = rules
    counted, listed = await _read(monitoring, token_for)
    _assert_same(counted, listed, expected)


async def test_the_decision_due_date_shown_on_a_case_follows_the_same_threshold(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, TODAY)
    await _case(monitoring, token_for, session_on(COMMON), VILLAGE, "2024-05-25")
    headers = token_for("district", DISTRICT)
    [case] = (await monitoring.get("/inclusion-cases/late", headers=headers)).json()["items"]
    assert case["decision_due_on"] == "2024-06-09"
    monitoring_app.state.ctx.settings.rules = RuleSettings(clue_to_decision_max_days=10)
    [case] = (await monitoring.get("/inclusion-cases/late", headers=headers)).json()["items"]
    assert case["decision_due_on"] == "2024-06-04"
