"""Trainings and their attendance over HTTP: places, enrolment once per person, completion after the training."""

from datetime import date

import httpx
from fastapi import FastAPI
from workforce_helpers import Sessions, Tokens, audited, count, make_labourer, set_today

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from employment_api.models import COMMON
from employment_api.training.models import Attendance, Training

TODAY = date(2026, 5, 20)


def course(**overrides: object) -> dict[str, object]:
    return {
        "title": "电工技能培训班",
        "kind": "技能培训",
        "region_code": TOWN,
        "organizer": "区人社局",
        "start_on": "2026-05-11",
        "end_on": "2026-05-22",
        "hours": "80.0",
        **overrides,
    }


async def make_training(client: httpx.AsyncClient, tokens: Tokens, **overrides: object) -> int:
    response = await client.post("/trainings", json=course(**overrides), headers=tokens("town", TOWN))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_a_training_is_held_at_a_place_and_read_below_it(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    training = await make_training(employment, token_for)
    url = f"/trainings/{training}"
    assert (await employment.get(url, headers=token_for("village", VILLAGE))).status_code == 200
    assert (await employment.get(url, headers=token_for("village", OTHER_TOWN_VILLAGE))).status_code == 404
    village_edit = await employment.patch(
        url, json={"title": "改名"}, headers={**token_for("village", VILLAGE), "If-Match": '"1"'}
    )
    assert village_edit.status_code == 404
    backwards = await employment.post(
        "/trainings", json=course(start_on="2026-06-01", end_on="2026-05-01"), headers=token_for("town", TOWN)
    )
    assert backwards.status_code == 422
    assert backwards.json()["rule"] == "period-order"
    outside = await employment.post(
        "/trainings", json=course(region_code=OTHER_TOWN_VILLAGE), headers=token_for("town", TOWN)
    )
    assert outside.status_code == 404
    assert await count(session_on(COMMON), Training) == 1
    listed = await employment.get(
        "/trainings", params={"held_on": "2026-05-15"}, headers=token_for("district", DISTRICT)
    )
    assert [t["id"] for t in listed.json()["items"]] == [training]


async def test_a_labourer_attends_a_training_once_and_completes_it_after_it_ends(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    neighbour = await make_labourer(session, region=OTHER_VILLAGE)
    training = await make_training(employment, token_for)
    village = token_for("village", VILLAGE)
    url = f"/trainings/{training}/attendance"
    enrolled = await employment.post(url, json={"labourer_id": labourer}, headers=village)
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["status"] == "已报名"
    twice = await employment.post(url, json={"labourer_id": labourer}, headers=village)
    assert twice.status_code == 409
    assert twice.json()["rule"] == "attend-once-per-training"
    assert (await employment.post(url, json={"labourer_id": neighbour}, headers=village)).status_code == 404
    assert (
        await employment.post(url, json={"labourer_id": neighbour}, headers=token_for("village", OTHER_VILLAGE))
    ).status_code == 201

    attendance = enrolled.headers["Location"]
    done = {"status": "已结业", "certificate": "JX2026-0001"}
    early = await employment.patch(attendance, json=done, headers={**village, "If-Match": '"1"'})
    assert early.status_code == 422
    assert early.json()["rule"] == "completion-after-training"
    set_today(employment_app, date(2026, 5, 22))
    completed = await employment.patch(attendance, json=done, headers={**village, "If-Match": '"1"'})
    assert completed.status_code == 200, completed.text
    assert completed.json()["certificate"] == "JX2026-0001"
    assert await audited(session, "training_attendance") == ["insert", "insert", "update"]

    # With a completion recorded, the training cannot be moved to end in the future.
    later = await employment.patch(
        f"/trainings/{training}", json={"end_on": "2026-05-30"}, headers={**token_for("town", TOWN), "If-Match": '"1"'}
    )
    assert later.status_code == 422
    assert later.json()["rule"] == "completion-after-training"

    # Each village sees its own people on the training; the town sees both.
    mine = await employment.get(url, headers=village)
    assert [a["labourer_id"] for a in mine.json()["items"]] == [labourer]
    both = await employment.get(url, headers=token_for("town", TOWN))
    assert [a["labourer_id"] for a in both.json()["items"]] == [labourer, neighbour]
    assert await count(session, Attendance) == 2
