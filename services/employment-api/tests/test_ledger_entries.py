"""Ledger entries: what an entry may say, who may write it, If-Match, keyset lists, audit."""

from datetime import date

import httpx
from emp_helpers import Sessions, Tokens, labourers, registry, set_today
from fastapi import FastAPI
from sqlalchemy import func, select

from conftest import OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from employment_api.models import COMMON as EMPLOYMENT

__all__ = ["registry"]
MONTH = "2026-10"
WORKING = {
    "status": "务工",
    "place": "省外",
    "employer": "东莞某电子厂",
    "monthly_income": "4500.50",
    "job_channel": "劳务协作",
}


async def _setup(monitoring, registry, token_for, session_on, app: FastAPI, region=VILLAGE, count=2):  # type: ignore[no-untyped-def]
    set_today(app, date(2026, 10, 9))
    return await labourers(monitoring, registry, token_for, session_on, region, count)


async def test_an_entry_is_recorded_read_and_changed_with_if_match(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    first, _ = await _setup(monitoring, registry, token_for, session_on, employment_app)
    village = token_for("village", VILLAGE)
    created = await employment.post(f"/ledger/{MONTH}/entries", json={"labourer_id": first, **WORKING}, headers=village)
    assert created.status_code == 201, created.text
    entry = created.json()
    assert (entry["monthly_income"], entry["late"], entry["region_code"]) == ("4500.50", False, VILLAGE)
    assert created.headers["Location"] == f"/ledger/entries/{entry['id']}"
    again = await employment.post(f"/ledger/{MONTH}/entries", json={"labourer_id": first, **WORKING}, headers=village)
    assert again.status_code == 409 and again.json()["code"] == "ledger-entry-exists"

    url = f"/ledger/entries/{entry['id']}"
    assert (await employment.patch(url, json={"employer": "赣州某厂"}, headers=village)).status_code == 428
    stale = await employment.patch(url, json={"employer": "赣州某厂"}, headers={**village, "If-Match": '"9"'})
    assert stale.status_code == 412
    moved = await employment.patch(url, json={"labourer_id": 5}, headers={**village, "If-Match": '"1"'})
    assert moved.status_code == 422  # who an entry is for never changes
    # Becoming 未就业 clears the job the entry described.
    jobless = await employment.patch(url, json={"status": "未就业"}, headers={**village, "If-Match": '"1"'})
    assert jobless.status_code == 200, jobless.text
    body = jobless.json()
    assert (body["status"], body["place"], body["employer"], body["monthly_income"]) == ("未就业", None, None, None)
    assert jobless.headers["ETag"] == '"2"'
    async with session_on(EMPLOYMENT) as session:
        audit = EMPLOYMENT.audit_log
        rows = await session.scalar(
            select(func.count()).where(audit.c.entity == "ledger_entry", audit.c.entity_id == str(entry["id"]))
        )
    assert rows == 2  # insert and update, who and what


async def test_job_fields_follow_the_status(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    first, _ = await _setup(monitoring, registry, token_for, session_on, employment_app)
    village = token_for("village", VILLAGE)
    cases = [
        ({"status": "未就业", "place": "县内"}, "body.place", "job-fields-follow-status"),
        ({"status": "公益性岗位"}, "body.place", "job-fields-follow-status"),
        ({**WORKING, "monthly_income": "-1"}, "body.monthly_income", None),
        ({**WORKING, "status": "打零工"}, "body.status", None),
        ({**WORKING, "months_worked": 13}, "body.months_worked", None),
    ]
    for body, field, rule in cases:
        refused = await employment.post(
            f"/ledger/{MONTH}/entries", json={"labourer_id": first, **body}, headers=village
        )
        assert refused.status_code == 422, (body, refused.text)
        problem = refused.json()
        assert problem.get("rule") == rule
        assert field in {error["field"] for error in problem["errors"]}
    listed = await employment.get(f"/ledger/{MONTH}/entries", headers=village)
    assert listed.json()["items"] == []  # nothing written


async def test_a_village_writes_only_its_own_labourers_who_are_on_the_roster(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    set_today(employment_app, date(2026, 10, 9))
    ours = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 1)
    theirs = await labourers(monitoring, registry, token_for, session_on, OTHER_VILLAGE, 1)
    elder = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 1, birth="19600101")
    village = token_for("village", VILLAGE)
    other = await employment.post(
        f"/ledger/{MONTH}/entries", json={"labourer_id": theirs[0], **WORKING}, headers=village
    )
    assert other.status_code == 404
    # Born 1960-01-01: 66 on 2026-10-01, past the working age (60 by default).
    old = await employment.post(f"/ledger/{MONTH}/entries", json={"labourer_id": elder[0], **WORKING}, headers=village)
    assert old.status_code == 422 and old.json()["rule"] == "ledger-for-roster-labourers"
    # In 2019 (aged 59) the same person was on the roster.
    then = await employment.post(
        "/ledger/2019-10/entries",
        json={"labourer_id": elder[0], **WORKING, "late_reason": "补录历史台账"},
        headers=village,
    )
    assert then.status_code == 201, then.text
    made = await employment.post(f"/ledger/{MONTH}/entries", json={"labourer_id": ours[0], **WORKING}, headers=village)
    assert made.status_code == 201
    entry_id = made.json()["id"]
    assert (
        await employment.get(f"/ledger/entries/{entry_id}", headers=token_for("village", OTHER_VILLAGE))
    ).status_code == 404
    assert (await employment.get(f"/ledger/entries/{entry_id}", headers=token_for("town", TOWN))).status_code == 200
    far = token_for("village", OTHER_TOWN_VILLAGE)
    assert (await employment.get(f"/ledger/{MONTH}/entries", headers=far)).json()["items"] == []
    assert (await employment.get(f"/ledger/{MONTH}/entries", headers=token_for("cadre", VILLAGE))).status_code == 403


async def test_entries_are_listed_by_keyset_in_the_callers_region(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    set_today(employment_app, date(2026, 10, 9))
    ids = await labourers(monitoring, registry, token_for, session_on, VILLAGE, 3)
    ids += await labourers(monitoring, registry, token_for, session_on, OTHER_VILLAGE, 2)
    town = token_for("town", TOWN)
    for n, labourer_id in enumerate(ids):
        body = {"labourer_id": labourer_id, **(WORKING if n % 2 else {"status": "未就业"})}
        assert (await employment.post(f"/ledger/{MONTH}/entries", json=body, headers=town)).status_code == 201
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await employment.get(f"/ledger/{MONTH}/entries", params=params, headers=town)).json()
        seen += [item["labourer_id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(ids)
    jobless = await employment.get(f"/ledger/{MONTH}/entries", params={"status": "未就业"}, headers=town)
    assert len(jobless.json()["items"]) == 3
    bad = await employment.get("/ledger/2026-13/entries", headers=town)
    assert bad.status_code == 422
