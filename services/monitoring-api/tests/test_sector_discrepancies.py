"""Discrepancies over HTTP: routed and scoped to villages, the status workflow, automatic closing, lists and counts."""

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.personal import mask_id_number
from monitoring_api.deps import get_today
from monitoring_api.models import COMMON
from monitoring_api.sector.models import Discrepancy

from .test_sector_helpers import TODAY, add_household, department_key, discrepancies, person, pid, push, run_job

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]


@pytest.fixture(autouse=True)
def fixed_today(monitoring_app: FastAPI) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY


async def _uninsured(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, region_code: str, count: int = 1
) -> list[str]:
    people = [pid("19700101") for _ in range(count)]
    await add_household(monitoring, token_for, [person(p) for p in people], region_code=region_code)
    return people


async def _enrolment(
    monitoring: httpx.AsyncClient, session_on: Sessions, insured: list[str], ref: str | None = None
) -> int:
    key = await department_key(session_on, "medical_enrolment")
    rows = [{"id_number": p, "scheme": "城乡居民基本医疗保险"} for p in insured] or [
        {"id_number": pid(), "scheme": "城乡居民基本医疗保险"}
    ]
    batch_id, _ = await push(monitoring, key, "medical_enrolment", rows, batch_ref=ref)
    await run_job(session_on, batch_id)
    return batch_id


async def test_each_village_sees_its_own_discrepancies(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    (mine,) = await _uninsured(monitoring, token_for, session_on, VILLAGE)
    (neighbour,) = await _uninsured(monitoring, token_for, session_on, OTHER_VILLAGE)
    (far,) = await _uninsured(monitoring, token_for, session_on, OTHER_TOWN_VILLAGE)
    await _enrolment(monitoring, session_on, [])
    by_subject = {d.subject_key: d for d in await discrepancies(session_on)}
    assert {by_subject[p].region_code for p in (mine, neighbour, far)} == {VILLAGE, OTHER_VILLAGE, OTHER_TOWN_VILLAGE}

    village = token_for("village", VILLAGE)
    listed = (await monitoring.get("/discrepancies", headers=village)).json()["items"]
    assert [d["subject_key"] for d in listed] == [mask_id_number(mine)]  # lists mask ID numbers
    assert (await monitoring.get(f"/discrepancies/{by_subject[neighbour].id}", headers=village)).status_code == 404
    town = (await monitoring.get("/discrepancies", headers=token_for("town", TOWN))).json()["items"]
    assert {d["subject_key"] for d in town} == {mask_id_number(mine), mask_id_number(neighbour)}
    district = await monitoring.get(
        "/discrepancies", params={"region_code": TOWN}, headers=token_for("district", DISTRICT)
    )
    assert {d["subject_key"] for d in district.json()["items"]} == {mask_id_number(mine), mask_id_number(neighbour)}
    assert (await monitoring.get("/discrepancies", headers=token_for("cadre", VILLAGE))).status_code == 403


async def test_the_village_moves_a_discrepancy_through_its_workflow(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    await _uninsured(monitoring, token_for, session_on, VILLAGE)
    await _enrolment(monitoring, session_on, [])
    (found,) = await discrepancies(session_on)
    url = f"/discrepancies/{found.id}"
    village = token_for("village", VILLAGE, subject="7", name="谢岗村信息员")

    read = await monitoring.get(url, headers=village)
    assert read.status_code == 200
    assert read.headers["ETag"] == '"1"'
    assert read.json()["status"] == "待核实"
    assert (await monitoring.patch(url, json={"status": "已核实"}, headers=village)).status_code == 428
    stale = await monitoring.patch(url, json={"status": "已核实"}, headers={**village, "If-Match": '"9"'})
    assert stale.status_code == 412

    verified = await monitoring.patch(
        url, json={"status": "已核实", "note": "入户核实：确未参保"}, headers={**village, "If-Match": '"1"'}
    )
    assert verified.status_code == 200, verified.text
    assert (verified.json()["acted_by"], verified.json()["acted_by_name"]) == ("user:7", "谢岗村信息员")
    no_note = await monitoring.patch(url, json={"status": "误报"}, headers={**village, "If-Match": '"2"'})
    assert no_note.status_code == 422
    assert no_note.json()["rule"] == "discrepancy_note_required"
    handled = await monitoring.patch(
        url, json={"status": "已处理", "note": "已代缴参保"}, headers={**village, "If-Match": '"2"'}
    )
    assert handled.status_code == 200
    backwards = await monitoring.patch(url, json={"status": "已核实"}, headers={**village, "If-Match": '"3"'})
    assert backwards.status_code == 422
    assert backwards.json()["rule"] == "discrepancy_status_flow"

    history = (await monitoring.get(url, headers=village)).json()["actions"]
    assert [(a["from_status"], a["to_status"], a["actor"]) for a in history] == [
        ("待核实", "已核实", "user:7"),
        ("已核实", "已处理", "user:7"),
    ]
    for caller in (token_for("district", DISTRICT), await department_key(session_on, "medical_enrolment")):
        refused = await monitoring.patch(
            url, json={"status": "误报", "note": "x"}, headers={**caller, "If-Match": '"3"'}
        )
        assert refused.status_code == 403
    other = token_for("village", OTHER_VILLAGE)
    assert (
        await monitoring.patch(url, json={"status": "误报", "note": "x"}, headers={**other, "If-Match": '"3"'})
    ).status_code == 404


async def test_a_later_batch_closes_what_it_shows_resolved_and_never_duplicates_what_is_open(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    fixed, still = await _uninsured(monitoring, token_for, session_on, VILLAGE, count=2)
    first_batch = await _enrolment(monitoring, session_on, [])
    by_subject = {d.subject_key: d for d in await discrepancies(session_on)}
    village = token_for("village", VILLAGE)
    await monitoring.patch(
        f"/discrepancies/{by_subject[still].id}",
        json={"status": "已核实", "note": "确认"},
        headers={**village, "If-Match": '"1"'},
    )

    second_batch = await _enrolment(monitoring, session_on, [fixed])
    after = {d.subject_key: d for d in await discrepancies(session_on)}
    assert len(after) == 2
    assert (after[fixed].status, after[fixed].resolved_batch_id, after[fixed].acted_by) == (
        "已处理",
        second_batch,
        "system",
    )
    assert "不再显示" in (after[fixed].note or "")
    assert (after[still].status, after[still].last_batch_id, after[still].version) == ("已核实", second_batch, 2)
    history = (await monitoring.get(f"/discrepancies/{after[fixed].id}", headers=village)).json()["actions"]
    assert [(a["to_status"], a["actor"]) for a in history] == [("已处理", "system")]

    # The partial unique index itself refuses a second open discrepancy on the same key.
    async with session_on(COMMON) as session:
        twin = {c: getattr(after[still], c) for c in ("department", "data_type", "rule", "subject_key", "region_code")}
        twin |= {"registry_data": {}, "department_data": {}, "status": "待核实", "version": 1}
        twin |= {"first_batch_id": first_batch, "last_batch_id": first_batch}
        with pytest.raises(IntegrityError):
            await session.execute(insert(Discrepancy).values(**twin))

    # Uninsured again later: a new finding, since the old one is settled.
    await _enrolment(monitoring, session_on, [])
    assert [d.status for d in await discrepancies(session_on, subject_key=fixed)] == ["已处理", "待核实"]


async def test_a_false_alarm_is_not_raised_again_on_the_same_evidence(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    (insured_elsewhere,) = await _uninsured(monitoring, token_for, session_on, VILLAGE)
    await _enrolment(monitoring, session_on, [])
    (found,) = await discrepancies(session_on)
    village = token_for("village", VILLAGE)
    response = await monitoring.patch(
        f"/discrepancies/{found.id}",
        json={"status": "误报", "note": "在广东务工，已在务工地参保"},
        headers={**village, "If-Match": '"1"'},
    )
    assert response.status_code == 200
    await _enrolment(monitoring, session_on, [])
    assert [d.status for d in await discrepancies(session_on)] == ["误报"]

    # New evidence (the registry now says insured, yet the roll still lacks the person): raised again.
    member_id = found.member_id
    etag = (await monitoring.get(f"/members/{member_id}", headers=village)).headers["ETag"]
    changed = await monitoring.patch(
        f"/members/{member_id}", json={"medical_insured": True}, headers={**village, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    await _enrolment(monitoring, session_on, [])
    assert [d.status for d in await discrepancies(session_on)] == ["误报", "待核实"]
    assert insured_elsewhere == found.subject_key


async def test_lists_filter_and_page_and_counts_group_by_region_and_rule(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    await _uninsured(monitoring, token_for, session_on, VILLAGE, count=3)
    await _uninsured(monitoring, token_for, session_on, OTHER_VILLAGE, count=2)
    await _uninsured(monitoring, token_for, session_on, OTHER_TOWN_VILLAGE, count=1)
    await _enrolment(monitoring, session_on, [])
    water = await department_key(session_on, "water_problem")
    problem = {"problem_no": "P1", "id_number": pid(), "region_code": VILLAGE}
    problem |= {"reported_on": "2024-01-01", "deadline": "2024-02-01"}
    batch_id, _ = await push(monitoring, water, "water_problem", [problem])
    await run_job(session_on, batch_id)
    district = token_for("district", DISTRICT)

    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 2, "department": "区医保分中心", **({"cursor": cursor} if cursor else {})}
        page = (await monitoring.get("/discrepancies", params=params, headers=district)).json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 6
    assert seen == sorted(seen)
    only_water = await monitoring.get("/discrepancies", params={"rule": "water_problem_overdue"}, headers=district)
    assert [d["subject_key"] for d in only_water.json()["items"]] == ["problem:P1"]
    bad = await monitoring.get("/discrepancies", params={"status": "done"}, headers=district)
    assert bad.status_code == 422

    counts = (await monitoring.get("/discrepancies/counts", headers=district)).json()["items"]
    assert {(c["region_code"], c["rule"]): (c["total"], c["pending"]) for c in counts} == {
        (VILLAGE, "member_not_insured"): (3, 3),
        (VILLAGE, "water_problem_overdue"): (1, 1),
        (OTHER_VILLAGE, "member_not_insured"): (2, 2),
        (OTHER_TOWN_VILLAGE, "member_not_insured"): (1, 1),
    }
    by_town = (await monitoring.get("/discrepancies/counts", params={"by": "town"}, headers=district)).json()["items"]
    assert {(c["region_code"], c["rule"]): c["total"] for c in by_town} == {
        (TOWN, "member_not_insured"): 5,
        (TOWN, "water_problem_overdue"): 1,
        ("360702192000", "member_not_insured"): 1,
    }
    mine = (await monitoring.get("/discrepancies/counts", headers=token_for("village", VILLAGE))).json()["items"]
    assert {c["rule"]: c["total"] for c in mine} == {"member_not_insured": 3, "water_problem_overdue": 1}


async def test_a_department_reads_back_only_what_concerns_it(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    await _uninsured(monitoring, token_for, session_on, VILLAGE)
    await _enrolment(monitoring, session_on, [])
    water = await department_key(session_on, "water_problem")
    problem = {"problem_no": "P9", "id_number": pid(), "reported_on": "2024-01-01", "deadline": "2024-02-01"}
    batch_id, _ = await push(monitoring, water, "water_problem", [problem])
    await run_job(session_on, batch_id)

    medical = await department_key(session_on, "medical_enrolment", "medical_claim")
    assert {d["rule"] for d in (await monitoring.get("/discrepancies", headers=medical)).json()["items"]} == {
        "member_not_insured"
    }
    assert {d["rule"] for d in (await monitoring.get("/discrepancies", headers=water)).json()["items"]} == {
        "water_problem_overdue"
    }
    counts = (await monitoring.get("/discrepancies/counts", headers=medical)).json()["items"]
    assert [c["rule"] for c in counts] == ["member_not_insured"]
    water_finding = (await discrepancies(session_on, data_type="water_problem"))[0]
    assert (await monitoring.get(f"/discrepancies/{water_finding.id}", headers=medical)).status_code == 404
    history = (await monitoring.get("/batches", headers=water)).json()["items"]
    assert [(b["id"], b["data_type"], b["state"]) for b in history] == [(batch_id, "water_problem", "已关闭")]


async def test_a_discrepancy_follows_its_person_to_another_village(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    (moving,) = await _uninsured(monitoring, token_for, session_on, VILLAGE)
    await _enrolment(monitoring, session_on, [])
    [found] = [d for d in await discrepancies(session_on) if d.subject_key == moving]
    assert found.region_code == VILLAGE
    town = token_for("town", TOWN)
    target = (await add_household(monitoring, token_for, [person(pid("19800101"))], region_code=OTHER_VILLAGE))["id"]
    member = (await monitoring.get(f"/discrepancies/{found.id}", headers=town)).json()["member_id"]
    moved = await monitoring.post(
        f"/members/{member}/move",
        json={"to_household_id": target, "moved_on": TODAY.isoformat(), "relation": "其他"},
        headers=town,
    )
    assert moved.status_code == 200, moved.text
    assert (
        await monitoring.get(f"/discrepancies/{found.id}", headers=token_for("village", VILLAGE))
    ).status_code == 404
    followed = await monitoring.get(f"/discrepancies/{found.id}", headers=token_for("village", OTHER_VILLAGE))
    assert followed.status_code == 200
    assert (followed.json()["region_code"], followed.json()["household_id"]) == (OTHER_VILLAGE, target)
