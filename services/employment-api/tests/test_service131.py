"""The "131" service over HTTP: job-seeker registrations, services with date and adviser, and who misses which part."""

from datetime import date

import httpx
from fastapi import FastAPI
from sqlalchemy import update
from workforce_helpers import Sessions, Tokens, audited, count, make_labourer, set_today

from conftest import OTHER_VILLAGE, TOWN, VILLAGE
from employment_api.deps import get_rules
from employment_api.models import COMMON
from employment_api.roster.models import Labourer
from employment_api.rules import RuleSettings
from employment_api.service131.models import JobSeeker, Service131

TODAY = date(2026, 6, 15)


async def register(client: httpx.AsyncClient, tokens: Tokens, labourer: int, region: str = VILLAGE) -> int:
    body = {"labourer_id": labourer, "registered_on": "2026-05-01", "wanted_job": "电子厂普工"}
    response = await client.post("/job-seekers", json=body, headers=tokens("village", region))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def serve(
    client: httpx.AsyncClient, tokens: Tokens, seeker: int, part: str, on: str = "2026-06-01", region: str = VILLAGE
) -> httpx.Response:
    body = {"part": part, "served_on": on, "served_by": "潭口镇就业服务站 李老师", "details": "推荐至赣州某电子厂"}
    return await client.post(f"/job-seekers/{seeker}/services", json=body, headers=tokens("village", region))


async def missing(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> list[dict[str, object]]:
    response = await client.get("/job-seekers/missing", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_a_job_seeker_is_registered_once_at_a_time(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    seeker = await register(employment, token_for, labourer)
    again = await employment.post(
        "/job-seekers", json={"labourer_id": labourer, "registered_on": "2026-06-01"}, headers=token_for("town", TOWN)
    )
    assert again.status_code == 409
    assert again.json()["rule"] == "one-open-job-seeker-registration"
    assert again.json()["title"] == "已有未结束的求职登记"
    future = await employment.post(
        "/job-seekers",
        json={"labourer_id": await make_labourer(session), "registered_on": "2026-06-16"},
        headers=token_for("village", VILLAGE),
    )
    assert future.status_code == 422
    assert future.json()["rule"] == "date-not-in-future"
    elsewhere = await employment.post(
        "/job-seekers",
        json={"labourer_id": labourer, "registered_on": "2026-06-01"},
        headers=token_for("village", OTHER_VILLAGE),
    )
    assert elsewhere.status_code == 404
    assert await count(session, JobSeeker) == 1

    # Once the first registration is closed, the person may register again.
    closed = await employment.post(
        f"/job-seekers/{seeker}/close",
        json={"closed_on": "2026-06-10", "outcome": "已就业"},
        headers={**token_for("village", VILLAGE), "If-Match": '"1"'},
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["outcome"] == "已就业"
    assert (await register(employment, token_for, labourer)) != seeker
    assert await audited(session, "job_seeker") == ["insert", "update", "insert"]


async def test_the_missing_list_says_which_part_each_job_seeker_still_lacks(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    complete, partial, untouched = [await make_labourer(session) for _ in range(3)]
    done_seeker = await register(employment, token_for, complete)
    for part in ("职业指导", "岗位推荐", "岗位推荐", "岗位推荐", "培训或见习"):
        assert (await serve(employment, token_for, done_seeker, part)).status_code == 201
    partial_seeker = await register(employment, token_for, partial)
    for part in ("职业指导", "岗位推荐", "岗位推荐"):
        assert (await serve(employment, token_for, partial_seeker, part)).status_code == 201
    untouched_seeker = await register(employment, token_for, untouched)

    headers = token_for("village", VILLAGE)
    rows = await missing(employment, headers)
    assert [(r["seeker_id"], r["missing"]) for r in rows] == [
        (partial_seeker, {"岗位推荐": 1, "培训或见习": 1}),
        (untouched_seeker, {"职业指导": 1, "岗位推荐": 3, "培训或见习": 1}),
    ]
    assert rows[0]["done"] == {"职业指导": 1, "岗位推荐": 2, "培训或见习": 0}
    assert [r["seeker_id"] for r in await missing(employment, headers, part="职业指导")] == [untouched_seeker]

    summary = await employment.get("/job-seekers/missing/summary", headers=token_for("town", TOWN))
    assert summary.status_code == 200, summary.text
    assert summary.json()["total"] == {
        "region_code": TOWN,
        "seekers": 2,
        "by_part": {"职业指导": 1, "岗位推荐": 2, "培训或见习": 2},
    }
    assert [v["region_code"] for v in summary.json()["villages"]] == [VILLAGE]

    # A closed registration is no longer owed anything; another village sees none of this.
    close = {"closed_on": "2026-06-12", "outcome": "不再求职"}
    await employment.post(f"/job-seekers/{untouched_seeker}/close", json=close, headers={**headers, "If-Match": '"1"'})
    assert [r["seeker_id"] for r in await missing(employment, headers)] == [partial_seeker]
    # Someone who leaves the roster is owed nothing more.
    await session.execute(update(Labourer).where(Labourer.id == partial).values(qualifies=False))
    assert await missing(employment, headers) == []
    assert await missing(employment, token_for("village", OTHER_VILLAGE)) == []
    other = await employment.get(
        "/job-seekers/missing/summary", params={"region_code": VILLAGE}, headers=token_for("village", OTHER_VILLAGE)
    )
    assert other.status_code == 404


async def test_the_required_numbers_are_configuration(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    seeker = await register(employment, token_for, await make_labourer(session_on(COMMON)))
    for part in ("职业指导", "岗位推荐", "岗位推荐", "培训或见习"):
        assert (await serve(employment, token_for, seeker, part)).status_code == 201
    headers = token_for("village", VILLAGE)
    assert (await missing(employment, headers))[0]["missing"] == {"岗位推荐": 1}
    assert RuleSettings().service131_referrals == 3
    employment_app.dependency_overrides[get_rules] = lambda: RuleSettings(service131_referrals=2)
    assert await missing(employment, headers) == []


async def test_a_service_is_dated_inside_an_open_registration(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    seeker = await register(employment, token_for, await make_labourer(session))
    early = await serve(employment, token_for, seeker, "职业指导", on="2026-04-30")
    assert early.status_code == 422
    assert early.json()["rule"] == "service-after-registration"
    late = await serve(employment, token_for, seeker, "职业指导", on="2026-06-16")
    assert late.json()["rule"] == "date-not-in-future"
    unknown = await serve(employment, token_for, seeker, "面试")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.part"
    first = await serve(employment, token_for, seeker, "职业指导")
    assert first.status_code == 201
    assert first.json()["recorded_by"] == "user:1"

    headers = token_for("village", VILLAGE)
    # Registration cannot move after a service already given.
    moved = await employment.patch(
        f"/job-seekers/{seeker}", json={"registered_on": "2026-06-05"}, headers={**headers, "If-Match": '"1"'}
    )
    assert moved.status_code == 422
    assert moved.json()["rule"] == "service-after-registration"
    url = first.headers["Location"]
    part = await employment.patch(url, json={"part": "岗位推荐"}, headers={**headers, "If-Match": '"1"'})
    assert part.status_code == 422
    assert part.json()["errors"][0]["field"] == "body.part"
    fixed = await employment.patch(url, json={"served_by": "王老师"}, headers={**headers, "If-Match": '"1"'})
    assert fixed.status_code == 200
    assert fixed.json()["served_by"] == "王老师"

    close = {"closed_on": "2026-06-14", "outcome": "已就业"}
    closed = await employment.post(f"/job-seekers/{seeker}/close", json=close, headers={**headers, "If-Match": '"1"'})
    assert closed.status_code == 200
    after = await serve(employment, token_for, seeker, "岗位推荐")
    assert after.status_code == 422
    assert after.json()["rule"] == "job-seeker-open"
    twice = await employment.post(f"/job-seekers/{seeker}/close", json=close, headers={**headers, "If-Match": '"2"'})
    assert twice.json()["rule"] == "job-seeker-open"
    assert await count(session, Service131) == 1
    listed = await employment.get(f"/job-seekers/{seeker}/services", headers=headers)
    assert [s["part"] for s in listed.json()["items"]] == ["职业指导"]
    assert (await employment.get(url, headers=token_for("village", OTHER_VILLAGE))).status_code == 404
