"""Look-backs (回头看): scheduling, recording once, the overdue list and its scoping."""

from datetime import date

import httpx
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_VILLAGE, VILLAGE
from monitoring_api.measures import repository
from monitoring_api.measures.models import Lookback
from monitoring_api.models import COMMON

from .test_measure_helpers import Sessions, Tokens, count, make_household, outbox_topics, set_today


async def test_a_lookback_is_scheduled_and_recorded_once(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 3, 1))
    session = session_on(COMMON)
    household_id = await make_household(monitoring, token_for, session)
    headers = token_for("village", VILLAGE)
    url = f"/households/{household_id}/lookbacks"
    past = await monitoring.post(url, json={"due_on": "2024-02-29", "reason": "季度回头看"}, headers=headers)
    assert past.status_code == 422
    assert past.json()["rule"] == "lookback-due-not-past"
    assert await count(session, Lookback) == 0

    created = await monitoring.post(url, json={"due_on": "2024-03-01", "reason": "季度回头看"}, headers=headers)
    assert created.status_code == 201, created.text
    lookback_id = created.json()["id"]
    assert created.headers["Location"] == f"/lookbacks/{lookback_id}"

    record = f"/lookbacks/{lookback_id}/record"
    body = {"done_on": "2024-03-02", "findings": "产业帮扶见效", "measures_effective": True}
    future = await monitoring.post(record, json=body, headers=headers)
    assert future.status_code == 422
    assert future.json()["rule"] == "date-not-in-future"
    set_today(monitoring_app, date(2024, 3, 2))
    done = await monitoring.post(record, json=body, headers=headers)
    assert done.status_code == 200, done.text
    assert done.json()["measures_effective"] is True
    assert done.json()["recorded_by"] == "user:1"
    again = await monitoring.post(record, json={**body, "findings": "改写"}, headers=headers)
    assert again.status_code == 409
    assert again.json()["rule"] == "lookback-recorded-once"
    assert (await monitoring.get(f"/lookbacks/{lookback_id}", headers=headers)).json()["findings"] == "产业帮扶见效"
    assert ("monitoring.measure.changed", "lookback", "recorded") in await outbox_topics(session)


async def test_overdue_lookbacks_are_listed_from_the_day_after_they_were_due(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 3, 1))
    session = session_on(COMMON)
    household_id = await make_household(monitoring, token_for, session)
    theirs = await make_household(monitoring, token_for, session, region=OTHER_VILLAGE)
    district = token_for("district", DISTRICT)
    ids = []
    for target, due in ((household_id, "2024-03-10"), (household_id, "2024-03-05"), (theirs, "2024-03-05")):
        response = await monitoring.post(
            f"/households/{target}/lookbacks", json={"due_on": due, "reason": "回头看"}, headers=district
        )
        ids.append(response.json()["id"])
    mine = token_for("village", VILLAGE)

    set_today(monitoring_app, date(2024, 3, 5))
    assert (await monitoring.get("/lookbacks/overdue", headers=mine)).json()["items"] == []
    set_today(monitoring_app, date(2024, 3, 11))
    overdue = (await monitoring.get("/lookbacks/overdue", headers=mine)).json()["items"]
    assert [lb["id"] for lb in overdue] == [ids[1], ids[0]]  # oldest due first, other village left out
    everyone = (await monitoring.get("/lookbacks/overdue", params={"limit": 2}, headers=district)).json()
    assert len(everyone["items"]) == 2 and everyone["next_cursor"]
    rest = await monitoring.get(
        "/lookbacks/overdue", params={"limit": 2, "cursor": everyone["next_cursor"]}, headers=district
    )
    assert [lb["id"] for lb in rest.json()["items"]] == [ids[0]]

    body = {"done_on": "2024-03-11", "findings": "措施有效", "measures_effective": True}
    assert (await monitoring.post(f"/lookbacks/{ids[2]}/record", json=body, headers=mine)).status_code == 404
    assert (await monitoring.post(f"/lookbacks/{ids[1]}/record", json=body, headers=mine)).status_code == 200
    overdue = (await monitoring.get("/lookbacks/overdue", headers=mine)).json()["items"]
    assert [lb["id"] for lb in overdue] == [ids[0]]
    assert await repository.count_overdue_lookbacks(session, "360702191", date(2024, 3, 11)) == 2
    assert await repository.count_overdue_lookbacks(session, VILLAGE, date(2024, 3, 10)) == 0
    listed = (await monitoring.get(f"/households/{household_id}/lookbacks", headers=mine)).json()["items"]
    assert len(listed) == 2
