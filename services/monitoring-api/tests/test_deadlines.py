"""GET /deadlines: each rule's deadline per place, upcoming or overdue, on the working-day calendar; service keys."""

from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from conftest import OTHER_VILLAGE, TOWN, VILLAGE
from monitoring_api.deps import get_today

from .test_assessment_overdue import Clock, assess
from .test_assessments import Tokens, new_household
from .test_measure_helpers import Sessions
from .test_service_people import service_key


@pytest.fixture
def clock(monitoring_app: FastAPI) -> Clock:
    clock = Clock(date(2024, 6, 28))
    monitoring_app.dependency_overrides[get_today] = lambda: clock.today
    return clock


def _by_kind(report: dict, kind: str) -> list[tuple[str, str, str, str, bool, int]]:  # type: ignore[type-arg]
    return sorted(
        (i["state"], i["region_code"], i["nominal_deadline"], i["effective_deadline"], i["non_working_day"], i["count"])
        for i in report["items"]
        if i["kind"] == f"monitoring.{kind}"
    )


async def test_a_month_of_assessment_deadlines_per_village_and_town(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, clock: Clock
) -> None:
    clock.today = date(2024, 6, 28)
    first, second, watched, late_village = [await new_household(monitoring, token_for) for _ in range(4)]
    other = await new_household(monitoring, token_for, region=OTHER_VILLAGE)
    await assess(monitoring, token_for, first, "2024-06", "暂不纳入")
    await assess(monitoring, token_for, second, "2024-06", "暂不纳入")
    await assess(monitoring, token_for, other, "2024-05", "暂不纳入", OTHER_VILLAGE)  # its month end has passed
    await assess(monitoring, token_for, watched, "2024-05", "持续关注")  # must be re-assessed in June
    await assess(monitoring, token_for, late_village, "2024-04", "持续关注")  # missed May
    headers = await service_key(session_on, "deadlines")

    response = await monitoring.get("/deadlines", params={"on": "2024-06-20"}, headers=headers)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["service"] == "monitoring-api" and report["on"] == "2024-06-20"
    # 30 June 2024 is a Sunday: the town's review is due on Friday the 28th, and the item says so.
    assert _by_kind(report, "not_now_review") == [
        ("overdue", TOWN, "2024-05-31", "2024-05-31", False, 1),
        ("upcoming", TOWN, "2024-06-30", "2024-06-28", True, 2),
    ]
    assert _by_kind(report, "watch_reassessment") == [
        ("overdue", VILLAGE, "2024-05-31", "2024-05-31", False, 1),
        ("upcoming", VILLAGE, "2024-06-30", "2024-06-28", True, 1),
    ]
    town_item = next(i for i in report["items"] if i["kind"] == "monitoring.not_now_review")
    assert town_item["level"] == "town" and town_item["link"] == f"/assessments/overdue?region_code={TOWN}"

    # A horizon that ends before the month end leaves the upcoming ones out; the overdue ones stay.
    short = (await monitoring.get("/deadlines", params={"on": "2024-06-20", "horizon_days": 5}, headers=headers)).json()
    assert [i["state"] for i in short["items"] if i["kind"] == "monitoring.not_now_review"] == ["overdue"]
    # Scoped to one village, the other village's items are gone.
    mine = await monitoring.get("/deadlines", params={"on": "2024-06-20", "region_code": VILLAGE}, headers=headers)
    assert _by_kind(mine.json(), "not_now_review") == [("upcoming", TOWN, "2024-06-30", "2024-06-28", True, 2)]


async def test_inclusion_cases_are_due_fifteen_days_after_the_clue(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, clock: Clock
) -> None:
    clock.today = date(2024, 9, 20)
    hids = [await new_household(monitoring, token_for, category="一般农户") for _ in range(3)]
    for hid, clue in zip(hids, ["2024-09-01", "2024-09-10", "2024-09-19"], strict=True):
        created = await monitoring.post(
            "/inclusion-cases",
            json={"household_id": hid, "channel": "干部排查", "clue_date": clue},
            headers=token_for("village", VILLAGE),
        )
        assert created.status_code == 201, created.text
    headers = await service_key(session_on, "deadlines")
    report = (await monitoring.get("/deadlines", params={"on": "2024-09-20"}, headers=headers)).json()
    # 1 Sep + 15 = 16 Sep (late); 10 Sep + 15 = 25 Sep; 19 Sep + 15 = 4 Oct, the last day of the 14-day horizon.
    # 16 September 2024 is the Mid-Autumn holiday: the effective deadline is Saturday the 14th, an adjusted working
    # day; 4 October is inside National Day: the last working day before it is Monday 30 September.
    assert _by_kind(report, "inclusion_decision") == [
        ("overdue", VILLAGE, "2024-09-16", "2024-09-14", True, 1),
        ("upcoming", VILLAGE, "2024-09-25", "2024-09-25", False, 1),
        ("upcoming", VILLAGE, "2024-10-04", "2024-09-30", True, 1),
    ]


async def test_only_a_service_key_with_the_deadlines_scope_or_the_district_reads_it(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    assert (await monitoring.get("/deadlines", headers=token_for("village", VILLAGE))).status_code == 403
    assert (await monitoring.get("/deadlines", headers=token_for("town", TOWN))).status_code == 403
    wrong = await service_key(session_on, "registry.read")
    assert (await monitoring.get("/deadlines", headers=wrong)).status_code == 403
    assert (await monitoring.get("/deadlines", headers=token_for("district", "360702000000"))).status_code == 200
    bad = await monitoring.get("/deadlines", params={"horizon_days": 99}, headers=token_for("district", "360702000000"))
    assert bad.status_code == 422
