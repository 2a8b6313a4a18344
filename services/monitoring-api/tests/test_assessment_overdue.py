"""What is overdue in monthly assessment: 持续关注 not re-assessed this month, 暂不纳入 not reviewed by month end."""

from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.auth.principal import Principal, Role
from monitoring_api.assessments.overdue import count_overdue_by_region
from monitoring_api.deps import get_today
from monitoring_api.rules import RuleSettings

from .test_assessments import Tokens, assessment, new_household

OTHER_TOWN = OTHER_TOWN_VILLAGE[:9] + "000"
WATCH = "持续关注未按月研判"
UNREVIEWED = "暂不纳入未经乡镇审核"


@dataclass
class Clock:
    today: date


@pytest.fixture
def clock(monitoring_app: FastAPI) -> Clock:
    clock = Clock(date(2024, 5, 20))
    monitoring_app.dependency_overrides[get_today] = lambda: clock.today
    return clock


def set_rules(app: FastAPI, **changes: object) -> None:
    settings = app.state.ctx.settings
    settings.rules = settings.rules.model_copy(update=changes)


async def assess(
    monitoring: httpx.AsyncClient, token_for: Tokens, hid: int, month: str, outcome: str, region: str = VILLAGE
) -> int:
    body = assessment(hid, month=month, outcome=outcome, assessed_on=f"{month}-05")
    if outcome == "无风险":
        body.update(risk_causes=[], reasons=None)
    response = await monitoring.post("/assessments", json=body, headers=token_for("village", region))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def overdue(monitoring: httpx.AsyncClient, headers: dict[str, str], **params: object) -> dict:  # type: ignore[type-arg]
    response = await monitoring.get("/assessments/overdue", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_not_now_is_due_for_review_on_the_last_day_and_overdue_the_next(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock
) -> None:
    hid = await new_household(monitoring, token_for)
    assessment_id = await assess(monitoring, token_for, hid, "2024-05", "暂不纳入")
    town = token_for("town", TOWN)

    clock.today = date(2024, 5, 31)
    report = await overdue(monitoring, town)
    assert report["items"] == [] and report["totals"]["not_now_unreviewed"] == 0

    clock.today = date(2024, 6, 1)
    report = await overdue(monitoring, town)
    assert report["totals"] == {"watch_not_reassessed": 0, "not_now_unreviewed": 1}
    [item] = report["items"]
    assert item["kind"] == UNREVIEWED
    assert item["assessment_id"] == assessment_id
    assert item["overdue_since"] == "2024-06-01"
    assert item["region_code"] == VILLAGE
    assert report["villages"] == [
        {"region_code": VILLAGE, "name": "谢岗村", "watch_not_reassessed": 0, "not_now_unreviewed": 1}
    ]
    assert report["towns"] == [
        {"region_code": TOWN, "name": "潭口镇", "watch_not_reassessed": 0, "not_now_unreviewed": 1}
    ]

    # A late review still counts: it is recorded with its date and the item leaves the list.
    review = await monitoring.post(
        f"/assessments/{assessment_id}/town-review", json={"agree": True, "opinion": "同意"}, headers=town
    )
    assert review.status_code == 201
    assert (await overdue(monitoring, town))["items"] == []


async def test_the_month_end_review_rule_can_be_switched_off(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, clock: Clock
) -> None:
    hid = await new_household(monitoring, token_for)
    await assess(monitoring, token_for, hid, "2024-05", "暂不纳入")
    clock.today = date(2024, 7, 1)
    assert (await overdue(monitoring, token_for("town", TOWN)))["totals"]["not_now_unreviewed"] == 1
    set_rules(monitoring_app, town_review_by_month_end=False)
    assert (await overdue(monitoring, token_for("town", TOWN)))["totals"]["not_now_unreviewed"] == 0


async def test_watch_must_be_reassessed_every_month(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock
) -> None:
    hid = await new_household(monitoring, token_for)
    may = await assess(monitoring, token_for, hid, "2024-05", "持续关注")
    village = token_for("village", VILLAGE)

    clock.today = date(2024, 5, 31)
    assert (await overdue(monitoring, village))["items"] == []

    clock.today = date(2024, 6, 1)
    [item] = (await overdue(monitoring, village))["items"]
    assert (item["kind"], item["assessment_id"], item["household_id"]) == (WATCH, may, hid)
    assert item["month"] == "2024-05-01" and item["overdue_since"] == "2024-06-01"

    clock.today = date(2024, 6, 10)
    await assess(monitoring, token_for, hid, "2024-06", "持续关注")
    assert (await overdue(monitoring, village))["items"] == []

    clock.today = date(2024, 7, 2)
    assert [i["month"] for i in (await overdue(monitoring, village))["items"]] == ["2024-06-01"]
    clock.today = date(2024, 7, 6)
    await assess(monitoring, token_for, hid, "2024-07", "无风险")
    clock.today = date(2024, 9, 1)
    assert (await overdue(monitoring, village))["items"] == []


async def test_an_included_household_is_no_longer_watched(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock
) -> None:
    hid = await new_household(monitoring, token_for)
    await assess(monitoring, token_for, hid, "2024-05", "持续关注")
    district = token_for("district", DISTRICT)
    # Included by another channel: recorded here as the district's correction, the shortest way to a subject.
    correction = {"category": "边缘易致贫户", "reason": "2024年5月区级审定纳入, 系统漏录", "included_on": "2024-05-20"}
    included = await monitoring.post(f"/households/{hid}/category-corrections", json=correction, headers=district)
    assert included.status_code == 200, included.text
    clock.today = date(2024, 6, 1)
    assert (await overdue(monitoring, district))["items"] == []


async def test_a_longer_reassessment_period_is_honoured(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, clock: Clock
) -> None:
    set_rules(monitoring_app, reassess_watch_every_months=2)
    hid = await new_household(monitoring, token_for)
    await assess(monitoring, token_for, hid, "2024-05", "持续关注")
    village = token_for("village", VILLAGE)
    clock.today = date(2024, 6, 30)
    assert (await overdue(monitoring, village))["items"] == []
    clock.today = date(2024, 7, 1)
    [item] = (await overdue(monitoring, village))["items"]
    assert item["overdue_since"] == "2024-07-01"


async def test_counts_per_village_and_town_inside_the_callers_scope(
    monitoring: httpx.AsyncClient, token_for: Tokens, clock: Clock
) -> None:
    for region, outcome in [
        (VILLAGE, "持续关注"),
        (VILLAGE, "持续关注"),
        (VILLAGE, "暂不纳入"),
        (OTHER_VILLAGE, "暂不纳入"),
        (OTHER_TOWN_VILLAGE, "持续关注"),
    ]:
        hid = await new_household(monitoring, token_for, region)
        await assess(monitoring, token_for, hid, "2024-04", outcome, region)
    clock.today = date(2024, 5, 2)

    district = await overdue(monitoring, token_for("district", DISTRICT))
    assert district["totals"] == {"watch_not_reassessed": 3, "not_now_unreviewed": 2}
    villages = {v["region_code"]: (v["watch_not_reassessed"], v["not_now_unreviewed"]) for v in district["villages"]}
    assert villages == {VILLAGE: (2, 1), OTHER_VILLAGE: (0, 1), OTHER_TOWN_VILLAGE: (1, 0)}
    towns = {
        t["region_code"]: (t["name"], t["watch_not_reassessed"], t["not_now_unreviewed"]) for t in district["towns"]
    }
    assert towns == {TOWN: ("潭口镇", 2, 2), OTHER_TOWN: ("潭东镇", 1, 0)}
    assert len(district["items"]) == 5

    town = await overdue(monitoring, token_for("town", TOWN))
    assert {v["region_code"] for v in town["villages"]} == {VILLAGE, OTHER_VILLAGE}
    assert [t["region_code"] for t in town["towns"]] == [TOWN]
    village = await overdue(monitoring, token_for("village", OTHER_VILLAGE))
    assert village["totals"] == {"watch_not_reassessed": 0, "not_now_unreviewed": 1}
    assert {i["region_code"] for i in village["items"]} == {OTHER_VILLAGE}
    filtered = await overdue(monitoring, token_for("district", DISTRICT), region_code=OTHER_TOWN)
    assert [v["region_code"] for v in filtered["villages"]] == [OTHER_TOWN_VILLAGE]
    # A filter outside the caller's scope shows nothing rather than widening it.
    outside = await overdue(monitoring, token_for("village", VILLAGE), region_code=OTHER_VILLAGE)
    assert outside["items"] == [] and outside["villages"] == []

    page = await overdue(monitoring, token_for("district", DISTRICT), limit=2)
    seen = [i["assessment_id"] for i in page["items"]]
    while page["next_cursor"]:
        page = await overdue(monitoring, token_for("district", DISTRICT), limit=2, cursor=page["next_cursor"])
        seen += [i["assessment_id"] for i in page["items"]]
    assert sorted(seen) == sorted(i["assessment_id"] for i in district["items"])
    assert page["totals"] == district["totals"]


async def test_count_overdue_by_region_for_other_reports(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, clock: Clock
) -> None:
    hid = await new_household(monitoring, token_for)
    await assess(monitoring, token_for, hid, "2024-04", "持续关注")
    async with monitoring_app.state.ctx.sessionmaker() as session:
        principal = Principal(subject="user:1", role=Role.town, region_code=TOWN)
        rows = await count_overdue_by_region(session, principal, date(2024, 5, 2), RuleSettings())
    assert [(r.region_code, r.kind, r.count) for r in rows] == [(VILLAGE, WATCH, 1)]
