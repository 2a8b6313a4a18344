"""Next year's project library opens in July and must be complete by 31 October: state and lateness per town."""

from datetime import date

import httpx
from fastapi import FastAPI

from conftest import OTHER_TOWN_VILLAGE, TOWN
from funds_api.rules import FundsRules, LibraryRules, MonthDay

from .conftest import Clock, Staff
from .helpers import declare, project_body

TOWN_2 = OTHER_TOWN_VILLAGE[:9] + "000"


def town(progress: dict, code: str) -> dict:  # type: ignore[type-arg]
    return next(t for t in progress["towns"] if t["town_code"] == code)


async def test_next_years_library_opens_in_july(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    clock.today = date(2026, 6, 30)
    response = await funds.post("/projects", json=project_body(year=2027), headers=staff.village)
    assert (response.status_code, response.json()["rule"]) == (422, "project-library-open")
    assert response.json()["errors"][0]["field"] == "body.year"
    clock.today = date(2026, 7, 1)
    assert (await funds.post("/projects", json=project_body(year=2027), headers=staff.village)).status_code == 201
    response = await funds.post("/projects", json=project_body(year=2025), headers=staff.village)
    assert response.status_code == 422


async def test_the_opening_month_is_configuration(
    funds_app: FastAPI, funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    funds_app.state.ctx.settings.rules = FundsRules(library=LibraryRules(opens=MonthDay(month=6, day=1)))
    clock.today = date(2026, 6, 1)
    assert (await funds.post("/projects", json=project_body(year=2027), headers=staff.village)).status_code == 201


async def test_state_and_lateness_per_town(funds: httpx.AsyncClient, staff: Staff, clock: Clock) -> None:
    clock.today = date(2026, 7, 15)
    done = await declare(funds, staff.village, year=2027)
    response = await funds.post(
        f"/projects/{done['id']}/town-review", json={"agree": False, "opinion": "不符合条件"}, headers=staff.town
    )
    assert response.status_code == 200
    await declare(funds, staff.other_town_village, year=2027, region_code=OTHER_TOWN_VILLAGE)

    # 31 October 2026 is a Saturday: the effective deadline is Friday 30 October.
    on_time = (await funds.get("/project-library/2027?on=2026-10-30", headers=staff.district)).json()
    assert (on_time["nominal_deadline"], on_time["effective_deadline"], on_time["non_working_day"]) == (
        "2026-10-31",
        "2026-10-30",
        True,
    )
    assert (town(on_time, TOWN)["complete"], town(on_time, TOWN)["late"]) == (True, False)
    assert (town(on_time, TOWN_2)["awaiting_town"], town(on_time, TOWN_2)["late"]) == (1, False)

    late = (await funds.get("/project-library/2027?on=2026-10-31", headers=staff.district)).json()
    assert (town(late, TOWN)["late"], town(late, TOWN_2)["late"], town(late, TOWN_2)["days_late"]) == (False, True, 1)
    work_group = town(late, "360702400000")
    assert (work_group["declared"], work_group["complete"], work_group["late"]) == (0, False, True)

    mine = (await funds.get("/project-library/2027?on=2026-10-31", headers=staff.town)).json()
    assert [t["town_code"] for t in mine["towns"]] == [TOWN]


async def test_the_deadline_is_configuration(
    funds_app: FastAPI, funds: httpx.AsyncClient, staff: Staff, clock: Clock
) -> None:
    clock.today = date(2026, 7, 15)
    await declare(funds, staff.village, year=2027)
    url = "/project-library/2027?on=2026-10-20"
    assert town((await funds.get(url, headers=staff.district)).json(), TOWN)["late"] is False
    funds_app.state.ctx.settings.rules = FundsRules(library=LibraryRules(due=MonthDay(month=10, day=15)))
    progress = (await funds.get(url, headers=staff.district)).json()
    assert (progress["effective_deadline"], town(progress, TOWN)["late"]) == ("2026-10-15", True)
