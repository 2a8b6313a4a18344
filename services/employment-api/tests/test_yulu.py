"""雨露计划+ over HTTP: a student followed from school to a job by milestones in order."""

from datetime import date

import httpx
from fastapi import FastAPI
from workforce_helpers import Sessions, Tokens, count, make_labourer, set_today

from conftest import OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared import idnumber
from employment_api.models import COMMON
from employment_api.training.models import YuluMilestone, YuluParticipant

TODAY = date(2026, 8, 1)
STUDENT = idnumber.make("36070220050301123")


def student(**overrides: object) -> dict[str, object]:
    return {
        "id_number": STUDENT,
        "name": "赖小明",
        "region_code": VILLAGE,
        "school": "赣州职业技术学院",
        "major": "机电一体化",
        "enrolled_on": "2023-09-01",
        **overrides,
    }


async def step(
    client: httpx.AsyncClient, tokens: Tokens, participant: int, stage: str, on: str, employer: str | None = None
) -> httpx.Response:
    body = {"stage": stage, "reached_on": on, "employer": employer}
    return await client.post(
        f"/yulu-participants/{participant}/milestones", json=body, headers=tokens("village", VILLAGE)
    )


async def test_a_student_is_followed_from_school_to_a_job(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    village = token_for("village", VILLAGE)
    created = await employment.post("/yulu-participants", json=student(), headers=village)
    assert created.status_code == 201, created.text
    assert created.json()["stage"] == "在读"
    participant = created.json()["id"]

    skipped = await step(employment, token_for, participant, "就业", "2026-07-01", employer="赣州某电子厂")
    assert skipped.status_code == 422
    assert skipped.json()["rule"] == "yulu-stage-order"
    assert "毕业" in skipped.json()["detail"]
    assert (await step(employment, token_for, participant, "毕业", "2026-06-30")).status_code == 201
    backwards = await step(employment, token_for, participant, "待业", "2026-06-01")
    assert backwards.json()["rule"] == "yulu-stage-order"
    no_employer = await step(employment, token_for, participant, "就业", "2026-07-15")
    assert no_employer.json()["rule"] == "yulu-employer-required"
    assert (await step(employment, token_for, participant, "待业", "2026-07-01")).status_code == 201
    employed = await step(employment, token_for, participant, "就业", "2026-07-20", employer="赣州某电子厂")
    assert employed.status_code == 201
    assert employed.json()["recorded_by"] == "user:1"

    current = await employment.get(f"/yulu-participants/{participant}", headers=village)
    assert (current.json()["stage"], current.json()["stage_on"]) == ("就业", "2026-07-20")
    history = await employment.get(f"/yulu-participants/{participant}/milestones", headers=village)
    assert [m["stage"] for m in history.json()["items"]] == ["毕业", "待业", "就业"]
    seeking = await employment.get("/yulu-participants", params={"stage": ["毕业", "待业"]}, headers=village)
    assert seeking.json()["items"] == []
    working = await employment.get("/yulu-participants", params={"stage": "就业"}, headers=token_for("town", TOWN))
    assert [p["id"] for p in working.json()["items"]] == [participant]
    assert await count(session, YuluMilestone) == 3
    neighbour = token_for("village", OTHER_VILLAGE)
    assert (await employment.get(f"/yulu-participants/{participant}", headers=neighbour)).status_code == 404
    assert (await employment.get(f"/yulu-participants/{participant}/milestones", headers=neighbour)).status_code == 404
    assert (await employment.get("/yulu-participants", headers=neighbour)).json()["items"] == []


async def test_a_student_is_followed_once_by_their_own_village(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    village = token_for("village", VILLAGE)
    assert (await employment.post("/yulu-participants", json=student(), headers=village)).status_code == 201
    again = await employment.post(
        "/yulu-participants", json=student(region_code=OTHER_VILLAGE), headers=token_for("village", OTHER_VILLAGE)
    )
    assert again.status_code == 409
    assert again.json()["rule"] == "one-yulu-record-per-person"
    assert again.json()["params"]["participant_id"] == "-"  # not revealed to another village
    other = idnumber.make("36070220060401234")
    outside = await employment.post(
        "/yulu-participants", json=student(id_number=other, region_code=OTHER_VILLAGE), headers=village
    )
    assert outside.status_code == 404
    bad_id = await employment.post("/yulu-participants", json=student(id_number="360702200503011230"), headers=village)
    assert bad_id.status_code == 422
    assert bad_id.json()["errors"][0]["field"] == "body.id_number"
    # Linking to the roster needs the same person.
    someone = await make_labourer(session)
    wrong = await employment.post(
        "/yulu-participants", json=student(id_number=other, labourer_id=someone), headers=village
    )
    assert wrong.json()["rule"] == "yulu-labourer-same-person"
    assert await count(session, YuluParticipant) == 1
