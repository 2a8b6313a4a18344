"""Training-needs surveys over HTTP: at least every six months per labourer (configurable), the overdue list and the
deadline items of GET /deadlines made from the same definition."""

from datetime import UTC, date, datetime

import httpx
from fastapi import FastAPI
from workforce_helpers import Sessions, Tokens, count, make_labourer, set_today

from conftest import DISTRICT, OTHER_VILLAGE, TOWN, VILLAGE
from employment_api.deps import get_rules
from employment_api.models import COMMON
from employment_api.rules import RuleSettings
from employment_api.training.models import TrainingSurvey

TODAY = date(2026, 7, 10)
JOINED = datetime(2026, 1, 1, tzinfo=UTC)  # 08:00 in Shanghai: joined the roster on 1 January


async def survey(
    client: httpx.AsyncClient, tokens: Tokens, labourer: int, on: str, region: str = VILLAGE
) -> httpx.Response:
    body = {
        "labourer_id": labourer,
        "surveyed_on": on,
        "surveyed_by": "谢岗村信息员",
        "wants_training": True,
        "wanted_skills": "电工",
    }
    return await client.post("/training-surveys", json=body, headers=tokens("village", region))


async def arrange(client: httpx.AsyncClient, tokens: Tokens, sessions: Sessions) -> dict[str, int]:
    """Labourers whose surveys fall due on either side of 10 July 2026."""
    session = sessions(COMMON)
    people = {
        "never": await make_labourer(session, created_at=JOINED),  # due 2026-07-01
        "january_9": await make_labourer(session, created_at=JOINED),  # due 2026-07-09
        "january_10": await make_labourer(session, created_at=JOINED),  # due 2026-07-10: not yet late
        "june": await make_labourer(session, created_at=JOINED),  # due 2026-12-01
        "left": await make_labourer(session, created_at=JOINED, qualifies=False, left_on=date(2026, 3, 1)),
        "elsewhere": await make_labourer(session, region=OTHER_VILLAGE, created_at=JOINED),  # due 2026-07-01
        "october": await make_labourer(session, created_at=JOINED),  # due 2026-10-04, in the National Day holiday
    }
    for name, on in (
        ("january_9", "2025-12-01"),  # an older survey does not count once a newer one exists
        ("january_9", "2026-01-09"),
        ("january_10", "2026-01-10"),
        ("june", "2026-06-01"),
        ("october", "2026-04-04"),
    ):
        assert (await survey(client, tokens, people[name], on)).status_code == 201
    return people


async def overdue(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> list[tuple[int, str]]:
    response = await client.get("/training-surveys/overdue", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [(r["labourer_id"], r["due_on"]) for r in response.json()["items"]]


async def test_a_labourer_not_surveyed_for_six_months_is_overdue(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    people = await arrange(employment, token_for, session_on)
    village = token_for("village", VILLAGE)
    assert await overdue(employment, village) == [(people["never"], "2026-07-01"), (people["january_9"], "2026-07-09")]
    page = await employment.get("/training-surveys/overdue", params={"limit": 1}, headers=village)
    rest = await overdue(employment, village, limit="1", cursor=page.json()["next_cursor"])
    assert rest == [(people["january_9"], "2026-07-09")]
    town = await overdue(employment, token_for("town", TOWN))
    assert sorted(town) == sorted(
        [(people["never"], "2026-07-01"), (people["elsewhere"], "2026-07-01"), (people["january_9"], "2026-07-09")]
    )
    # The day a survey falls due it is not late yet; the day after it is.
    set_today(employment_app, date(2026, 7, 11))
    assert (people["january_10"], "2026-07-10") in await overdue(employment, village)
    # A survey today clears it.
    set_today(employment_app, TODAY)
    assert (await survey(employment, token_for, people["never"], "2026-07-10")).status_code == 201
    assert await overdue(employment, village) == [(people["january_9"], "2026-07-09")]


async def test_the_interval_is_configuration(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    people = await arrange(employment, token_for, session_on)
    assert RuleSettings().training_survey_every_months == 6
    employment_app.dependency_overrides[get_rules] = lambda: RuleSettings(training_survey_every_months=12)
    assert await overdue(employment, token_for("village", VILLAGE)) == []
    employment_app.dependency_overrides[get_rules] = lambda: RuleSettings(training_survey_every_months=3)
    three = await overdue(employment, token_for("village", VILLAGE))
    assert (people["october"], "2026-07-04") in three
    assert (people["june"], "2026-09-01") not in three


async def test_deadlines_report_overdue_and_upcoming_surveys_per_village(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    await arrange(employment, token_for, session_on)
    district = token_for("district", DISTRICT)
    report = await employment.get("/deadlines", params={"on": "2026-07-10", "horizon_days": "14"}, headers=district)
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["service"] == "employment-api"
    items = [
        (i["region_code"], i["state"], i["nominal_deadline"], i["count"])
        for i in body["items"]
        if i["kind"] == "employment.training_survey"
    ]
    assert items == [
        # Both late surveys of the village counted under the latest missed deadline: each newly missed one is new.
        (VILLAGE, "overdue", "2026-07-09", 2),
        (OTHER_VILLAGE, "overdue", "2026-07-01", 1),
        (VILLAGE, "upcoming", "2026-07-10", 1),
    ]
    assert body["items"][0]["link"] == f"/training-surveys/overdue?region_code={VILLAGE}"
    # The overdue count is the overdue list's length, whoever asks.
    village_list = await overdue(employment, token_for("village", VILLAGE))
    assert len(village_list) == 2

    # A due day in the National Day holiday shows as such, with the last working day before it.
    autumn = await employment.get(
        "/deadlines", params={"on": "2026-09-25", "horizon_days": "14", "region_code": VILLAGE}, headers=district
    )
    upcoming = [i for i in autumn.json()["items"] if i["state"] == "upcoming"]
    assert [(i["nominal_deadline"], i["effective_deadline"], i["non_working_day"]) for i in upcoming] == [
        ("2026-10-04", "2026-09-30", True)
    ]
    assert (await employment.get("/deadlines", headers=token_for("town", TOWN))).status_code == 403


async def test_refused_surveys_write_nothing(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    future = await survey(employment, token_for, labourer, "2026-07-11")
    assert future.status_code == 422
    assert future.json()["rule"] == "date-not-in-future"
    assert (await survey(employment, token_for, labourer, "2026-07-01")).status_code == 201
    twice = await survey(employment, token_for, labourer, "2026-07-01")
    assert twice.status_code == 409
    assert twice.json()["rule"] == "one-survey-a-day"
    assert twice.json()["title"] == "同一天已有培训需求调查"
    hidden = await survey(employment, token_for, labourer, "2026-07-02", region=OTHER_VILLAGE)
    assert hidden.status_code == 404
    left = await make_labourer(session, qualifies=False, left_on=date(2026, 5, 1))
    assert (await survey(employment, token_for, left, "2026-07-02")).json()["rule"] == "labourer-on-roster"
    assert await count(session, TrainingSurvey) == 1
