"""Hostile input on the registry's newer paths: PATCH with nulls, registration with fields the registry does not take,
province updates carrying values the registry cannot hold, GET /deadlines for days out of range, If-Match with
characters that only look like digits. Each is an RFC 9457 problem naming the field, and nothing changes."""

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, VILLAGE
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON

from .helpers import household, member
from .test_import_files import csv_bytes, row, upload
from .test_measure_helpers import Sessions, Tokens, make_household
from .test_service_people import service_key


def _refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]], response.text


async def _state(client: httpx.AsyncClient, headers: dict[str, str], hid: int) -> dict[str, Any]:
    """What a hostile request must leave as it was: the household, its members and their versions."""
    response = await client.get(f"/households/{hid}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ("household", "head_name"),
        ("household", "risk_causes"),
        ("member", "name"),  # was a 500: the name's initials are kept on every write
        ("member", "relation"),
        ("member", "labour_skill"),
        ("member", "school_status"),
        ("member", "medical_insured"),
    ],
)
async def test_a_patch_that_nulls_a_required_field_is_refused_by_name(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, record: str, field: str
) -> None:
    hid = await make_household(monitoring, token_for, session_on(COMMON), risk_causes=["因病"])
    village = token_for("village", VILLAGE)
    before = await _state(monitoring, village, hid)
    path = f"/households/{hid}" if record == "household" else f"/members/{before['members'][0]['id']}"
    version = before["version"] if record == "household" else before["members"][0]["version"]

    response = await monitoring.patch(path, json={field: None}, headers={**village, "If-Match": f'"{version}"'})

    _refused(response, f"body.{field}")
    assert await _state(monitoring, village, hid) == before


async def test_a_patch_may_still_clear_what_a_record_can_be_without(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    hid = await make_household(monitoring, token_for, session_on(COMMON), address="谢岗村 3 组")
    village = token_for("village", VILLAGE)
    response = await monitoring.patch(
        f"/households/{hid}", json={"address": None}, headers={**village, "If-Match": '"1"'}
    )
    assert response.status_code == 200, response.text
    assert response.json()["address"] is None


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"assistance_status": "帮扶中"}, "body.assistance_status"),  # the province's workflow
        ({"risk_eliminated_on": "2024-01-01"}, "body.risk_eliminated_on"),  # the elimination's
        ({"members": [member(status="死亡")]}, "body.members.0.status"),
        ({"category": "边缘易致贫户", "included_on": "0001-01-01"}, "body.included_on"),
        ({"category": "边缘易致贫户", "included_on": "2012-12-31"}, "body.included_on"),
    ],
)
async def test_registering_a_household_refuses_what_the_registry_does_not_take(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, extra: dict[str, Any], field: str
) -> None:
    response = await monitoring.post(
        "/households", json={**household(VILLAGE), **extra}, headers=token_for("village", VILLAGE)
    )
    _refused(response, field)
    async with session_on(COMMON) as session:
        assert await session.scalar(select(func.count()).select_from(Household)) == 0


@pytest.mark.parametrize("included_on", ["0001-01-01", "2012-12-31", "2099-01-01", "9999-12-31"])
async def test_an_import_keeps_the_inclusion_date_in_the_bounds_the_api_keeps(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, included_on: str
) -> None:
    content = csv_bytes([row("3607020001", VILLAGE, 户类型="边缘易致贫户", 纳入监测时间=included_on)])
    response = await upload(monitoring, token_for("village", VILLAGE), content)
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]  # the date's own error, not also "a subject needs its date"
    assert error["field"] == "file.2.纳入监测时间" and "2013-01-01" in error["message"], error
    async with session_on(COMMON) as session:
        assert await session.scalar(select(func.count()).select_from(Household)) == 0


async def test_a_category_correction_refuses_an_inclusion_date_before_the_registry(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    hid = await make_household(monitoring, token_for, session_on(COMMON), category="脱贫户")
    district = token_for("district", DISTRICT)
    before = await _state(monitoring, district, hid)
    body = {"category": "脱贫不稳定户", "reason": "录入错误", "included_on": "0001-01-01"}
    response = await monitoring.post(f"/households/{hid}/category-corrections", json=body, headers=district)
    _refused(response, "body.included_on")
    assert await _state(monitoring, district, hid) == before


def _identified(hid: int, **fields: Any) -> dict[str, Any]:
    return {"seq": 7, "type": "subject_identified", "household_local_id": hid, "subject_kind": "边缘易致贫户",
            "identified_on": "2025-03-01", "risk_types": ["因病"], **fields}  # fmt: skip


def _income(hid: int, **fields: Any) -> dict[str, Any]:
    verified = {"year": 2024, "per_capita_net_income": "5000.00", "verified_on": "2025-01-10", **fields}
    return {"seq": 8, "type": "income_verified", "household_local_id": hid, "income_verified": verified}


def _status(hid: int, **fields: Any) -> dict[str, Any]:
    return {"seq": 9, "type": "assistance_status", "household_local_id": hid, "assistance_status": "帮扶中", **fields}


@pytest.mark.parametrize(
    ("make", "fields", "field"),
    [
        # Counted from, by the six-month rules: a subject "included" in year 1 would be due for elimination at once.
        (_identified, {"identified_on": "0001-01-01"}, "body.identified_on"),
        (_identified, {"identified_on": "9999-12-31"}, "body.identified_on"),
        # Stored as the household's 致贫返贫风险, which every later read validates (was a 500 on GET /households/{id}).
        (_identified, {"risk_types": ["黑客"]}, "body.risk_types.0"),
        (_identified, {"risk_types": ["因病", "x" * 10_000]}, "body.risk_types.1"),
        (_identified, {"risk_types": ["因病", "因学", "因残", "因自然灾害", "因意外事故", "其他"]}, "body.risk_types"),
        # 9999-12-31 is stored as PostgreSQL's 'infinity', which no read can turn back into a date (was a 500).
        (_income, {"verified_on": "9999-12-31"}, "body.income_verified.verified_on"),
        (_income, {"verified_on": "0001-01-01"}, "body.income_verified.verified_on"),
        (_income, {"per_capita_net_income": "NaN"}, "body.income_verified.per_capita_net_income"),
        (_income, {"per_capita_net_income": "-Infinity"}, "body.income_verified.per_capita_net_income"),
        (_income, {"per_capita_net_income": "1e20"}, "body.income_verified.per_capita_net_income"),
        (_status, {"changed_at": "0001-01-01T00:00:00+08:00"}, "body.changed_at"),
        (_status, {"changed_at": "9999-12-31T23:59:59-10:00"}, "body.changed_at"),
        (_status, {"assistance_status": "已脱贫"}, "body.assistance_status"),
    ],
)
async def test_a_province_update_the_registry_cannot_hold_is_refused_and_changes_nothing(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
    make: Any,
    fields: dict[str, Any],
    field: str,
) -> None:
    hid = await make_household(monitoring, token_for, session_on(COMMON), category="脱贫户")
    district = token_for("district", DISTRICT)
    before = await _state(monitoring, district, hid)
    key = await service_key(session_on, "province.sync")

    response = await monitoring.post("/service/province-updates", json=make(hid, **fields), headers=key)

    _refused(response, field)
    assert await _state(monitoring, district, hid) == before
    async with session_on(COMMON) as session:
        assert await _audited(session) == 0


async def _audited(session: AsyncSession) -> int:
    audit = COMMON.audit_log
    stmt = select(func.count()).select_from(audit).where(audit.c.entity == "province_update")
    return int(await session.scalar(stmt) or 0)


async def test_risk_types_the_province_repeats_are_kept_once(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    hid = await make_household(monitoring, token_for, session_on(COMMON), category="脱贫户")
    key = await service_key(session_on, "province.sync")
    update = _identified(hid, risk_types=["因病"] * 6 + ["因学"])
    response = await monitoring.post("/service/province-updates", json=update, headers=key)
    assert response.json()["outcome"] == "applied", response.text
    state = await _state(monitoring, token_for("district", DISTRICT), hid)
    assert (state["category"], state["risk_causes"]) == ("边缘易致贫户", ["因病", "因学"])


@pytest.mark.parametrize("day", ["0001-01-01", "1970-01-01", "9999-12-31"])
async def test_deadlines_for_a_day_out_of_range_are_refused(
    monitoring: httpx.AsyncClient, session_on: Sessions, day: str
) -> None:
    response = await monitoring.get(
        "/deadlines", params={"on": day}, headers=await service_key(session_on, "deadlines")
    )
    _refused(response, "query.on")


@pytest.mark.parametrize("if_match", [b"\xb2", b'W/"\xb9"', b'"1\xb3"'])
async def test_an_if_match_of_characters_that_only_look_like_digits_is_refused(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, if_match: bytes
) -> None:
    hid = await make_household(monitoring, token_for, session_on(COMMON))
    village = token_for("village", VILLAGE)
    before = await _state(monitoring, village, hid)
    # Superscript digits are Latin-1, so a header can carry them; str.isdigit() takes them, int() does not.
    headers = {**village, "If-Match": if_match}
    response = await monitoring.patch(f"/households/{hid}", json={"address": "改"}, headers=headers)  # type: ignore[dict-item]
    _refused(response, "header.If-Match")
    assert await _state(monitoring, village, hid) == before
