"""The development-measure rule: labour-capable subjects without a development measure in time, or only 综合保障."""

from datetime import date

import httpx
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_VILLAGE, VILLAGE
from monitoring_api.measures import repository
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings

from .helpers import member
from .test_measure_helpers import Sessions, Tokens, make_household, set_today

INCLUDED = date(2024, 1, 15)


async def _flags(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> dict[int, list[str]]:
    response = await client.get("/measures/flags", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {item["household_id"]: item["reasons"] for item in response.json()["items"]}


async def _add(client: httpx.AsyncClient, headers: dict[str, str], household_id: int, **body: str) -> None:
    payload = {"owner": "王干部", "start_on": "2024-02-01", **body}
    response = await client.post(f"/households/{household_id}/measures", json=payload, headers=headers)
    assert response.status_code == 201, response.text


async def test_no_development_measure_is_flagged_the_day_after_six_months(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    household_id = await make_household(monitoring, token_for, session_on(COMMON), included_on=INCLUDED)
    headers = token_for("village", VILLAGE)
    set_today(monitoring_app, date(2024, 7, 15))
    assert household_id not in await _flags(monitoring, headers)
    set_today(monitoring_app, date(2024, 7, 16))
    response = await monitoring.get("/measures/flags", headers=headers)
    [flag] = response.json()["items"]
    assert flag["household_id"] == household_id
    assert flag["reasons"] == ["development-measure-within-months"]
    assert flag["development_due_on"] == "2024-07-15"


async def test_only_a_delivered_development_measure_clears_the_flag(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 9, 1))
    household_id = await make_household(monitoring, token_for, session_on(COMMON), included_on=INCLUDED)
    headers = token_for("village", VILLAGE)
    await _add(monitoring, headers, household_id, category="产业帮扶", status="计划中")
    await _add(monitoring, headers, household_id, category="就业帮扶", status="已终止")
    await _add(monitoring, headers, household_id, category="健康帮扶", status="实施中")
    assert (await _flags(monitoring, headers))[household_id] == ["development-measure-within-months"]
    await _add(monitoring, headers, household_id, category="公益岗位帮扶", status="实施中")
    assert household_id not in await _flags(monitoring, headers)


async def test_only_comprehensive_guarantee_is_flagged_at_once(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 2, 1))
    household_id = await make_household(monitoring, token_for, session_on(COMMON), included_on=INCLUDED)
    headers = token_for("village", VILLAGE)
    assert household_id not in await _flags(monitoring, headers)
    await _add(monitoring, headers, household_id, category="综合保障", sub_type="低保", status="实施中")
    assert (await _flags(monitoring, headers))[household_id] == ["not-only-comprehensive-guarantee"]
    set_today(monitoring_app, date(2024, 8, 1))
    assert (await _flags(monitoring, headers))[household_id] == [
        "development-measure-within-months",
        "not-only-comprehensive-guarantee",
    ]
    await _add(monitoring, headers, household_id, category="金融帮扶", sub_type="小额信贷", status="实施中")
    assert household_id not in await _flags(monitoring, headers)


async def test_households_without_labour_and_non_subjects_are_not_flagged(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 1, 1))
    session = session_on(COMMON)
    no_labour = await make_household(
        monitoring,
        token_for,
        session,
        included_on=INCLUDED,
        members=[member(labour_skill="丧失劳动力"), member(labour_skill="无劳动力", relation="配偶")],
    )
    lifted = await make_household(monitoring, token_for, session, category="脱贫户", included_on=INCLUDED)
    weak = await make_household(
        monitoring, token_for, session, category="突发严重困难户", members=[member(labour_skill="弱劳动力或半劳动力")]
    )
    flagged_weak = await make_household(
        monitoring,
        token_for,
        session,
        category="边缘易致贫户",
        included_on=INCLUDED,
        members=[member(labour_skill="弱劳动力或半劳动力")],
    )
    flags = await _flags(monitoring, token_for("village", VILLAGE))
    assert no_labour not in flags
    assert lifted not in flags
    assert weak not in flags  # no inclusion date recorded yet
    assert flagged_weak in flags


async def test_the_window_is_a_rule_setting(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    household_id = await make_household(monitoring, token_for, session_on(COMMON), included_on=INCLUDED)
    monitoring_app.state.ctx.settings.rules = RuleSettings(development_measure_within_months=3)
    headers = token_for("village", VILLAGE)
    set_today(monitoring_app, date(2024, 4, 15))
    assert household_id not in await _flags(monitoring, headers)
    set_today(monitoring_app, date(2024, 4, 16))
    assert household_id in await _flags(monitoring, headers)


async def test_flags_are_scoped_and_counted(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 12, 1))
    session = session_on(COMMON)
    mine = await make_household(monitoring, token_for, session, included_on=INCLUDED)
    theirs = await make_household(monitoring, token_for, session, region=OTHER_VILLAGE, included_on=INCLUDED)
    assert set(await _flags(monitoring, token_for("village", VILLAGE))) == {mine}
    district = token_for("district", DISTRICT)
    assert set(await _flags(monitoring, district)) == {mine, theirs}
    assert set(await _flags(monitoring, district, region_code=OTHER_VILLAGE)) == {theirs}
    page = (await monitoring.get("/measures/flags", params={"limit": 1}, headers=district)).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    assert await repository.count_flagged_households(session, "360702191", date(2024, 12, 1), 6) == 2
    assert await repository.count_flagged_households(session, VILLAGE, date(2024, 12, 1), 6) == 1
    assert await repository.count_flagged_households(session, VILLAGE, date(2024, 7, 15), 6) == 0
