"""The 15th and the 25th: the village's and the town's deadlines lock the month, on the working-day calendar."""

from datetime import date

import httpx
import pytest
from emp_helpers import Sessions, Tokens, labourers, registry, service_key, set_today
from fastapi import FastAPI

from conftest import OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.contracts import ServiceScope
from dixian_shared.workdays import WorkdayCalendar
from employment_api.ledger.deadlines import month_deadlines
from employment_api.rules import RuleSettings

__all__ = ["registry"]
JOBLESS = {"status": "未就业"}


async def _entry(employment: httpx.AsyncClient, month: str, labourer_id: int, headers: dict[str, str], **extra):  # type: ignore[no-untyped-def]
    return await employment.post(
        f"/ledger/{month}/entries", json={"labourer_id": labourer_id, **JOBLESS, **extra}, headers=headers
    )


@pytest.mark.parametrize(
    ("month", "last_open_day", "first_locked_day"),
    [
        ("2026-10", date(2026, 10, 15), date(2026, 10, 16)),  # the 15th is a Thursday
        ("2026-11", date(2026, 11, 13), date(2026, 11, 14)),  # Sunday 15 November: Friday the 13th is the last day
        ("2024-09", date(2024, 9, 14), date(2024, 9, 15)),  # 15 September 2024 is 中秋节; Saturday the 14th was worked
    ],
)
async def test_the_village_month_locks_after_its_deadline(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
    month: str,
    last_open_day: date,
    first_locked_day: date,
) -> None:
    first, second = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 2)
    village = token_for("village", VILLAGE)
    set_today(employment_app, last_open_day)
    on_time = await _entry(employment, month, first, village)
    assert on_time.status_code == 201 and on_time.json()["late"] is False
    set_today(employment_app, first_locked_day)
    refused = await _entry(employment, month, second, village)
    assert refused.status_code == 422
    assert refused.json()["rule"] == "ledger-locked-after-deadline"
    assert refused.json()["params"]["deadline"] == last_open_day.isoformat()
    late = await _entry(employment, month, second, village, late_reason="外出务工人员返乡后补登")
    assert late.status_code == 201
    assert (late.json()["late"], late.json()["late_reason"]) == (True, "外出务工人员返乡后补登")
    # The town's step runs to the 25th: it still corrects without a reason.
    patched = await employment.patch(
        f"/ledger/entries/{on_time.json()['id']}",
        json={"status": "灵活就业", "place": "县内"},
        headers={**token_for("town", TOWN), "If-Match": '"1"'},
    )
    assert patched.status_code == 200 and patched.json()["late"] is False


@pytest.mark.parametrize(
    ("month", "last_open_day", "first_locked_day"),
    [
        ("2026-11", date(2026, 11, 25), date(2026, 11, 26)),  # Wednesday
        ("2026-10", date(2026, 10, 23), date(2026, 10, 24)),  # Sunday 25 October: Friday the 23rd
        ("2026-09", date(2026, 9, 24), date(2026, 9, 25)),  # 25 September 2026 is 中秋节
    ],
)
async def test_the_town_confirms_by_its_deadline_and_the_month_then_locks(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
    month: str,
    last_open_day: date,
    first_locked_day: date,
) -> None:
    (only,) = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 1)
    town = token_for("town", TOWN)
    set_today(employment_app, last_open_day)
    made = await _entry(employment, month, only, town)
    assert made.status_code == 201 and made.json()["late"] is False
    set_today(employment_app, first_locked_day)
    url = f"/ledger/entries/{made.json()['id']}"
    refused = await employment.patch(url, json={"status": "务工", "place": "省外"}, headers={**town, "If-Match": '"1"'})
    assert refused.status_code == 422 and refused.json()["rule"] == "ledger-locked-after-deadline"
    assert refused.json()["params"]["deadline"] == last_open_day.isoformat()
    late = await employment.patch(
        url, json={"status": "务工", "place": "省外", "late_reason": "核实后更正"}, headers={**town, "If-Match": '"1"'}
    )
    assert late.status_code == 200 and late.json()["late"] is True


async def test_deadlines_are_configuration(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    employment_app.state.ctx.settings.rules = RuleSettings(village_ledger_day=5, town_confirm_day=8)
    first, second = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 2)
    village = token_for("village", VILLAGE)
    # 2024-10-05 is inside National Day (1–7 October): the last working day before it is Monday 30 September.
    set_today(employment_app, date(2024, 9, 30))
    assert (await _entry(employment, "2024-10", first, village)).status_code == 201
    set_today(employment_app, date(2024, 10, 1))
    assert (await _entry(employment, "2024-10", second, village)).json()["rule"] == "ledger-locked-after-deadline"
    report = (await employment.get("/ledger/2024-10/status", headers=village)).json()
    assert report["village_deadline"] == {
        "nominal": "2024-10-05",
        "effective": "2024-09-30",
        "kind": "节假日",
        "non_working_day": True,
    }
    assert report["town_deadline"]["nominal"] == "2024-10-08" and report["town_deadline"]["kind"] == "工作日"
    with pytest.raises(ValueError):
        RuleSettings(village_ledger_day=26, town_confirm_day=25)


def test_the_deadline_definition_on_real_calendar_days() -> None:
    calendar = WorkdayCalendar()
    november = month_deadlines(date(2026, 11, 1), RuleSettings(), calendar)
    assert (november.village.effective, november.village_kind) == (date(2026, 11, 13), "周末")
    assert (november.town.effective, november.town.on_non_working_day) == (date(2026, 11, 25), False)
    september = month_deadlines(date(2024, 9, 1), RuleSettings(), calendar)
    assert (september.village.effective, september.village_kind) == (date(2024, 9, 14), "节假日")


async def test_submit_confirm_and_the_state_of_every_village_and_town(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    first, second = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 2)
    (elsewhere,) = await labourers(monitoring, registry, token_for, session_on, OTHER_VILLAGE, 1)
    village, town = token_for("village", VILLAGE), token_for("town", TOWN)
    submit = f"/ledger/2026-11/villages/{VILLAGE}/submit"
    confirm = f"/ledger/2026-11/villages/{VILLAGE}/confirm"

    def states(report: dict) -> dict[str, str]:  # type: ignore[type-arg]
        return {
            v["region_code"]: v["state"] for v in report["villages"] if v["region_code"] in (VILLAGE, OTHER_VILLAGE)
        }

    set_today(employment_app, date(2026, 11, 2))
    status = (await employment.get("/ledger/2026-11/status", headers=town)).json()
    assert states(status) == {VILLAGE: "未开始", OTHER_VILLAGE: "未开始"}
    made = await _entry(employment, "2026-11", first, village)
    assert (await employment.post(confirm, headers=town)).json()["rule"] == "town-confirms-submitted-month"
    incomplete = await employment.post(submit, headers=village)
    assert incomplete.status_code == 422 and incomplete.json()["params"]["missing"] == 1
    assert states((await employment.get("/ledger/2026-11/status", headers=town)).json())[VILLAGE] == "填报中"
    await _entry(employment, "2026-11", second, village)
    assert (await employment.post(submit, headers=town)).status_code == 403  # the village's step
    other = await employment.post(f"/ledger/2026-11/villages/{OTHER_VILLAGE}/submit", headers=village)
    assert other.status_code == 404
    submitted = await employment.post(submit, headers=village)
    assert submitted.status_code == 200 and submitted.json()["submitted_late"] is False
    assert (await employment.post(submit, headers=village)).status_code == 409
    after = await employment.patch(
        f"/ledger/entries/{made.json()['id']}",
        json={"status": "务工", "place": "县内"},
        headers={**village, "If-Match": '"1"'},
    )
    assert after.status_code == 422 and after.json()["rule"] == "village-edits-before-submission"

    set_today(employment_app, date(2026, 11, 14))  # past the village deadline (13th), before the town's (25th)
    status = (await employment.get("/ledger/2026-11/status", headers=town)).json()
    assert states(status) == {VILLAGE: "已提交", OTHER_VILLAGE: "逾期"}
    assert status["village_deadline"]["effective"] == "2026-11-13" and status["village_deadline"]["kind"] == "周末"
    assert {t["region_code"]: t["state"] for t in status["towns"]}[TOWN] == "逾期"

    confirmed = await employment.post(confirm, headers=town)
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_late"] is False
    # A confirmed month changes only with a reason, recorded as late.
    url = f"/ledger/entries/{made.json()['id']}"
    locked = await employment.patch(url, json={"status": "务工", "place": "县内"}, headers={**town, "If-Match": '"1"'})
    assert locked.json()["rule"] == "confirmed-month-needs-reason"

    late_submit = await employment.post(
        f"/ledger/2026-11/villages/{OTHER_VILLAGE}/submit", headers=token_for("village", OTHER_VILLAGE)
    )
    assert late_submit.status_code == 422  # still incomplete
    await _entry(employment, "2026-11", elsewhere, token_for("village", OTHER_VILLAGE), late_reason="补报")
    late_submit = await employment.post(
        f"/ledger/2026-11/villages/{OTHER_VILLAGE}/submit", headers=token_for("village", OTHER_VILLAGE)
    )
    assert late_submit.status_code == 200 and late_submit.json()["submitted_late"] is True
    set_today(employment_app, date(2026, 11, 26))
    status = (await employment.get("/ledger/2026-11/status", headers=town)).json()
    assert states(status) == {VILLAGE: "已确认", OTHER_VILLAGE: "逾期"}
    late_confirm = await employment.post(f"/ledger/2026-11/villages/{OTHER_VILLAGE}/confirm", headers=town)
    assert late_confirm.json()["confirmed_late"] is True


async def test_get_deadlines_reports_the_ledger_deadlines_to_a_service_key(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    await labourers(monitoring, registry, token_for, session_on, VILLAGE, 2)
    key = await service_key(session_on, ServiceScope.deadlines)
    report = await employment.get("/deadlines", params={"on": "2026-11-14"}, headers=key)
    assert report.status_code == 200, report.text
    items = {(i["kind"], i["region_code"]): i for i in report.json()["items"] if i["nominal_deadline"] >= "2026-11-01"}
    village = items[("employment.village_ledger", VILLAGE)]
    assert (village["state"], village["count"], village["effective_deadline"]) == ("overdue", 2, "2026-11-13")
    assert village["non_working_day"] is True and village["link"].startswith("/ledger/2026-11/status")
    assert items[("employment.town_confirmation", TOWN)]["state"] == "upcoming"
    assert (await employment.get("/deadlines", headers=token_for("village", VILLAGE))).status_code == 403
    no_scope = await service_key(session_on, ServiceScope.registry_read)
    assert (await employment.get("/deadlines", headers=no_scope)).status_code == 403
