"""Targets per village, town and district for a month, each figure matching the people listed behind it."""

from datetime import date

import httpx
from emp_helpers import Sessions, Tokens, labourers, registry, set_today, sync
from fastapi import FastAPI

from conftest import OTHER_VILLAGE, TOWN, VILLAGE
from employment_api.rules import RuleSettings

__all__ = ["registry"]
JOBS = {
    "务工": {"status": "务工", "place": "省外"},
    "公益性岗位": {"status": "公益性岗位", "place": "县内"},
    "帮扶车间": {"status": "帮扶车间", "place": "县内"},
    "未就业": {"status": "未就业"},
}


async def _record(employment: httpx.AsyncClient, token_for: Tokens, month: str, labourer_id: int, job: str) -> None:
    body = {"labourer_id": labourer_id, **JOBS[job]}
    response = await employment.post(f"/ledger/{month}/entries", json=body, headers=token_for("town", TOWN))
    assert response.status_code == 201, response.text


async def _district(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> dict[str, list[int]]:
    worker, caretaker = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 2)
    idle = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 2)
    (borderline,) = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 1, category="边缘易致贫户")
    (unentered,) = await labourers(
        monitoring, registry, token_for, session_on, OTHER_VILLAGE, 1, category="脱贫不稳定户"
    )
    for labourer_id, job in ((worker, "务工"), (caretaker, "公益性岗位"), (borderline, "帮扶车间")):
        await _record(employment, token_for, "2026-10", labourer_id, job)
    for labourer_id in idle:
        await _record(employment, token_for, "2026-10", labourer_id, "未就业")
    return {"employed": [worker, caretaker], "idle": idle, "workshop": [borderline], "unentered": [unentered]}


async def _walk(employment: httpx.AsyncClient, url: str, headers: dict[str, str], **params: object) -> list[dict]:  # type: ignore[type-arg]
    found: list[dict] = []  # type: ignore[type-arg]
    cursor = None
    while True:
        page = await employment.get(
            url, params={"limit": 1, **params, **({"cursor": cursor} if cursor else {})}, headers=headers
        )
        assert page.status_code == 200, page.text
        found += page.json()["items"]
        if not (cursor := page.json()["next_cursor"]):
            return found


async def test_figures_per_place_and_the_people_behind_them(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    set_today(employment_app, date(2026, 10, 9))
    people = await _district(monitoring, employment, registry, token_for, session_on)
    town = token_for("town", TOWN)
    report = (await employment.get("/targets/2026-10", headers=town)).json()
    villages = {v["region_code"]: v for v in report["villages"]}
    here = villages[VILLAGE]
    assert (here["labourers"], here["employed_lifted"], here["public_welfare_lifted"]) == (5, 2, 1)
    assert (here["in_workshops"], here["zero_employment_households"]) == (1, 1)  # the borderline one is not 脱贫劳动力
    assert (villages[OTHER_VILLAGE]["employed_lifted"], villages[OTHER_VILLAGE]["zero_employment_households"]) == (0, 1)
    assert report["total"]["region_code"] == TOWN and report["total"]["zero_employment_households"] == 2
    assert [t["region_code"] for t in report["towns"]] == [TOWN] and report["towns"][0]["employed_lifted"] == 2
    assert report["goals"] == {"employed_lifted": 4000, "public_welfare_lifted": 258, "in_workshops": 0}
    assert report["met"] == {"employed_lifted": False, "public_welfare_lifted": False, "in_workshops": True}

    employed = await _walk(employment, "/targets/2026-10/people", town, target="employed_lifted")
    assert sorted(p["labourer_id"] for p in employed) == sorted(people["employed"])
    assert len(employed) == report["total"]["employed_lifted"]
    welfare = await _walk(employment, "/targets/2026-10/people", town, target="public_welfare_lifted")
    assert [p["labourer_id"] for p in welfare] == [people["employed"][1]]
    zero = await _walk(employment, "/targets/2026-10/zero-employment-households", town)
    assert sorted(sorted(h["labourer_ids"]) for h in zero) == sorted([sorted(people["idle"]), people["unentered"]])
    # The link given with a figure lists exactly that figure's people.
    link = here["links"]["in_workshops"]
    linked = (await employment.get(link, headers=town)).json()["items"]
    assert [p["labourer_id"] for p in linked] == people["workshop"]

    village = (await employment.get("/targets/2026-10", headers=token_for("village", OTHER_VILLAGE))).json()
    assert [v["region_code"] for v in village["villages"]] == [OTHER_VILLAGE]
    assert village["total"]["employed_lifted"] == 0
    refused = await employment.get("/targets/2026-10/people", params={"target": "nonsense"}, headers=town)
    assert refused.status_code == 422


async def test_goals_are_configuration(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    set_today(employment_app, date(2026, 10, 9))
    await _district(monitoring, employment, registry, token_for, session_on)
    district = token_for("district", "360702000000")
    for goals, met in (
        ({"employed_lifted_target": 2, "public_welfare_lifted_target": 1, "workshop_baseline_2023": 1}, True),
        ({"employed_lifted_target": 3, "public_welfare_lifted_target": 2, "workshop_baseline_2023": 2}, False),
    ):
        employment_app.state.ctx.settings.rules = RuleSettings(**goals)
        report = (await employment.get("/targets/2026-10", headers=district)).json()
        assert report["met"] == dict.fromkeys(("employed_lifted", "public_welfare_lifted", "in_workshops"), met)
    # 脱贫劳动力 is configuration too: counting 边缘易致贫户 as well makes the workshop worker one of them.
    employment_app.state.ctx.settings.rules = RuleSettings(lifted_categories=("脱贫户", "脱贫不稳定户", "边缘易致贫户"))
    report = (await employment.get("/targets/2026-10", headers=district)).json()
    assert report["total"]["employed_lifted"] == 3


async def test_a_death_drops_the_person_from_that_month_on_and_keeps_the_past(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    set_today(employment_app, date(2026, 10, 9))
    (worker,) = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 1)
    await _record(employment, token_for, "2026-10", worker, "务工")
    set_today(employment_app, date(2026, 11, 9))
    await _record(employment, token_for, "2026-11", worker, "务工")
    labourer = (await employment.get(f"/labourers/{worker}", headers=token_for("town", TOWN))).json()
    died = await monitoring.post(
        f"/members/{labourer['member_id']}/death", json={"died_on": "2026-11-03"}, headers=token_for("village", VILLAGE)
    )
    assert died.status_code == 200, died.text
    await sync(session_on, registry, "member", labourer["member_id"], today=date(2026, 11, 9))
    town = token_for("town", TOWN)
    assert (await employment.get("/targets/2026-10", headers=town)).json()["total"]["employed_lifted"] == 1
    assert (await employment.get("/targets/2026-11", headers=town)).json()["total"]["employed_lifted"] == 0
    # The history stays: the entries and the labourer (now off the roster) are still there.
    assert len((await employment.get("/ledger/2026-11/entries", headers=town)).json()["items"]) == 1
    assert (await employment.get(f"/labourers/{worker}", headers=town)).json()["qualifies"] is False


async def test_figures_kept_per_village_follow_every_write(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    set_today(employment_app, date(2026, 10, 9))
    await _district(monitoring, employment, registry, token_for, session_on)
    town = token_for("town", TOWN)

    async def employed() -> int:
        return (await employment.get("/targets/2026-10", headers=town)).json()["total"]["employed_lifted"]

    assert await employed() == 2  # computed and kept
    assert await employed() == 2  # read back
    entries = (await employment.get("/ledger/2026-10/entries", params={"status": "未就业"}, headers=town)).json()
    idle = entries["items"][0]
    patched = await employment.patch(
        f"/ledger/entries/{idle['id']}", json={"status": "务工", "place": "县内"}, headers={**town, "If-Match": '"1"'}
    )
    assert patched.status_code == 200
    assert await employed() == 3  # the entry's village was recomputed
    (newcomer,) = await labourers(monitoring, registry, token_for, session_on, OTHER_VILLAGE, 1)
    await _record(employment, token_for, "2026-10", newcomer, "务工")
    assert await employed() == 4
