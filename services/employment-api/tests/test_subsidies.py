"""Subsidy grants over HTTP: per person, kind and period (configurable units), Decimal amounts, refusals with the rule
named, revocation, scoping and totals from the list's own grants."""

from datetime import date
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError
from workforce_helpers import Sessions, Tokens, audited, count, make_labourer, set_today

from conftest import DISTRICT, OTHER_VILLAGE, TOWN, VILLAGE
from employment_api.deps import get_rules
from employment_api.models import COMMON
from employment_api.rules import SUBSIDY_KINDS, RuleSettings
from employment_api.subsidies.enums import SubsidyKind
from employment_api.subsidies.models import Subsidy

TODAY = date(2026, 8, 10)


def grant(labourer: int, **overrides: object) -> dict[str, object]:
    return {
        "labourer_id": labourer,
        "kind": "交通补贴",
        "period": "2026",
        "amount": "500.00",
        "granted_on": "2026-08-01",
        "granted_by": "区人社局",
        **overrides,
    }


async def test_a_second_grant_for_the_same_person_kind_and_period_is_refused(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    village = token_for("village", VILLAGE)
    first = await employment.post("/subsidies", json=grant(labourer, amount="500.5"), headers=village)
    assert first.status_code == 201, first.text
    assert first.json()["amount"] == "500.50"
    assert first.headers["ETag"] == '"1"'
    second = await employment.post("/subsidies", json=grant(labourer, amount="300.00"), headers=token_for("town", TOWN))
    assert second.status_code == 409
    problem = second.json()
    assert problem["rule"] == "subsidy-once-per-person-kind-period"
    assert problem["title"] == "同一人同一补贴同一期间不得重复发放"
    assert problem["params"]["subsidy_id"] == first.json()["id"]
    english = await employment.post("/subsidies", json=grant(labourer), headers={**village, "Accept-Language": "en"})
    assert english.json()["detail"].startswith(f"labourer {labourer} already has a 交通补贴 grant for 2026")
    assert await count(session, Subsidy) == 1
    # Another year, or another kind, is another grant; so is another person.
    assert (
        await employment.post(
            "/subsidies", json=grant(labourer, period="2027", granted_on="2026-08-02"), headers=village
        )
    ).status_code == 201
    start_up = grant(labourer, kind="一次性创业补贴", period=None, amount="5000.00")
    assert (await employment.post("/subsidies", json=start_up, headers=village)).status_code == 201
    again = await employment.post("/subsidies", json=start_up, headers=village)
    assert again.status_code == 409
    assert again.json()["params"]["period"] == "一次性"
    assert await audited(session, "subsidy") == ["insert", "insert", "insert"]


@pytest.mark.parametrize(
    ("kind", "period"),
    [
        ("交通补贴", "2026-08"),  # yearly: a month is not its period
        ("交通补贴", None),
        ("公益性岗位补贴", "2026"),  # monthly: a year is not its period
        ("公益性岗位补贴", "2026-13"),
        ("公益性岗位补贴", "0000-01"),  # no year 0: refused, not a server error
        ("交通补贴", "0000"),
        ("一次性创业补贴", "2026"),  # once: no period
    ],
)
async def test_the_period_follows_the_kinds_unit(
    employment: httpx.AsyncClient,
    employment_app: FastAPI,
    token_for: Tokens,
    session_on: Sessions,
    kind: str,
    period: str | None,
) -> None:
    set_today(employment_app, TODAY)
    labourer = await make_labourer(session_on(COMMON))
    response = await employment.post(
        "/subsidies", json=grant(labourer, kind=kind, period=period), headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 422, response.text
    assert response.json()["rule"] == "subsidy-period"
    assert await count(session_on(COMMON), Subsidy) == 0


async def test_the_units_are_configuration(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    labourer = await make_labourer(session_on(COMMON))
    assert set(SUBSIDY_KINDS) == {k.value for k in SubsidyKind}
    assert RuleSettings().subsidy_periods["交通补贴"] == "year"
    monthly = {"交通补贴": "month", "公益性岗位补贴": "month", "一次性创业补贴": "once"}
    employment_app.dependency_overrides[get_rules] = lambda: RuleSettings(subsidy_periods=monthly)
    headers = token_for("village", VILLAGE)
    assert (
        await employment.post("/subsidies", json=grant(labourer, period="2026-07"), headers=headers)
    ).status_code == 201
    assert (
        await employment.post("/subsidies", json=grant(labourer, period="2026-08"), headers=headers)
    ).status_code == 201
    with pytest.raises(ValueError, match="subsidy_periods"):
        RuleSettings(subsidy_periods={"交通补贴": "year"})


async def test_a_public_welfare_job_subsidy_needs_a_position_held_that_month(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    labourer = await make_labourer(session_on(COMMON))
    district, village = token_for("district", DISTRICT), token_for("village", VILLAGE)
    position = await employment.post(
        "/positions",
        json={
            "kind": "公益性岗位",
            "name": "保洁员",
            "region_code": VILLAGE,
            "employer": "谢岗村委会",
            "opened_on": "2026-01-01",
        },
        headers=district,
    )
    placed = await employment.post(
        f"/positions/{position.json()['id']}/occupancies",
        json={"labourer_id": labourer, "start_on": "2026-06-20", "end_on": "2026-07-05"},
        headers=village,
    )
    assert placed.status_code == 201, placed.text
    body = grant(labourer, kind="公益性岗位补贴", amount="800.00")
    for month in ("2026-06", "2026-07"):
        assert (await employment.post("/subsidies", json={**body, "period": month}, headers=village)).status_code == 201
    august = await employment.post("/subsidies", json={**body, "period": "2026-08"}, headers=village)
    assert august.status_code == 422
    assert august.json()["rule"] == "public-welfare-subsidy-needs-position"


async def test_a_revoked_grant_frees_its_period_and_is_kept(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    village = token_for("village", VILLAGE)
    first = await employment.post("/subsidies", json=grant(labourer), headers=village)
    url = first.headers["Location"]
    kind_change = await employment.patch(url, json={"kind": "一次性创业补贴"}, headers={**village, "If-Match": '"1"'})
    assert kind_change.status_code == 422
    assert kind_change.json()["errors"][0]["field"] == "body.kind"
    revoke = {"revoked_on": "2026-08-05", "reason": "金额录入错误"}
    assert (await employment.post(f"{url}/revoke", json=revoke, headers=village)).status_code == 428
    revoked = await employment.post(f"{url}/revoke", json=revoke, headers={**village, "If-Match": '"1"'})
    assert revoked.status_code == 200, revoked.text
    twice = await employment.post(f"{url}/revoke", json=revoke, headers={**village, "If-Match": '"2"'})
    assert twice.json()["rule"] == "subsidy-revoked-once"
    again = await employment.post("/subsidies", json=grant(labourer, amount="450.00"), headers=village)
    assert again.status_code == 201, again.text
    standing = await employment.get("/subsidies", headers=village)
    assert [s["amount"] for s in standing.json()["items"]] == ["450.00"]
    everything = await employment.get("/subsidies", params={"include_revoked": "true"}, headers=village)
    assert [s["revoked_on"] for s in everything.json()["items"]] == ["2026-08-05", None]


async def test_the_database_holds_the_rule_without_the_service(session_on: Sessions) -> None:
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    values = {
        "labourer_id": labourer,
        "kind": SubsidyKind.transport,
        "period": "2026",
        "amount": Decimal("500.00"),
        "granted_on": date(2026, 8, 1),
        "granted_by": "区人社局",
        "recorded_by": "test",
    }
    session.add(Subsidy(**values))
    await session.flush()
    with pytest.raises(IntegrityError, match="uq_subsidy_once_per_period"):
        async with session.begin_nested():
            session.add(Subsidy(**values))
            await session.flush()


async def test_grants_are_scoped_and_totalled_per_kind(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    mine, other = await make_labourer(session), await make_labourer(session, region=OTHER_VILLAGE)
    village = token_for("village", VILLAGE)
    assert (await employment.post("/subsidies", json=grant(mine), headers=village)).status_code == 201
    hidden = await employment.post("/subsidies", json=grant(other), headers=village)
    assert hidden.status_code == 404
    neighbour = await employment.post(
        "/subsidies", json=grant(other, amount="320.25"), headers=token_for("village", OTHER_VILLAGE)
    )
    assert neighbour.status_code == 201
    assert (await employment.get(neighbour.headers["Location"], headers=village)).status_code == 404
    start_up = grant(mine, kind="一次性创业补贴", period=None, amount="5000.00")
    assert (await employment.post("/subsidies", json=start_up, headers=village)).status_code == 201

    totals = await employment.get("/subsidies/totals", params={"period": "2026"}, headers=token_for("town", TOWN))
    assert totals.status_code == 200, totals.text
    assert totals.json()["totals"] == [{"kind": "交通补贴", "grants": 2, "people": 2, "amount": "820.25"}]
    mine_only = await employment.get("/subsidies/totals", headers=village)
    assert {t["kind"]: t["amount"] for t in mine_only.json()["totals"]} == {
        "交通补贴": "500.00",
        "一次性创业补贴": "5000.00",
    }
    assert (
        await employment.get("/subsidies/totals", params={"region_code": OTHER_VILLAGE}, headers=village)
    ).status_code == 404
    listed = await employment.get("/subsidies", params={"kind": "交通补贴"}, headers=token_for("town", TOWN))
    assert sum(Decimal(s["amount"]) for s in listed.json()["items"]) == Decimal("820.25")
