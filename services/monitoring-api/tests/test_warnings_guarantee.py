"""The guarantee line from member facts, warnings raised by other modules, and the region-wide recompute."""

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_worker import actors as worker_actors  # sets the worker's broker before the actor modules load
from monitoring_api.deps import get_today
from monitoring_api.models import COMMON
from monitoring_api.warnings import service
from monitoring_api.warnings.enums import Grade, Line
from monitoring_api.warnings.models import HouseholdWarning

from .helpers import household, member, person_id

Tokens = Callable[..., dict[str, str]]
TODAY = date(2025, 3, 1)


@pytest.fixture(autouse=True)
def clock(monitoring_app: FastAPI) -> Iterator[None]:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY
    yield
    monitoring_app.dependency_overrides.pop(get_today, None)


def _child(birth: str, **overrides: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {"relation": "之子", "labour_skill": "无劳动力", "medical_insured": True, **overrides}
    return member(id_number=person_id(birth), **facts)


async def _household(
    client: httpx.AsyncClient, headers: dict[str, str], members: list[dict[str, Any]], region: str = VILLAGE
) -> int:
    head = member(medical_insured=True)
    response = await client.post("/households", json=household(region, [head, *members]), headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _uninsured() -> list[dict[str, Any]]:
    return [_child("19990101", medical_insured=False)]


async def _recompute(client: httpx.AsyncClient, headers: dict[str, str], hid: int) -> list[dict[str, Any]]:
    response = await client.post(f"/households/{hid}/warnings/recompute", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["open_warnings"])


@pytest.mark.parametrize(
    ("birth", "flagged"),
    [
        ("20190301", True),  # six today
        ("20190302", False),  # six tomorrow
        ("20090302", True),  # still fifteen
        ("20090301", False),  # sixteen today
    ],
)
async def test_a_child_of_compulsory_school_age_out_of_school_is_red(
    monitoring: httpx.AsyncClient, token_for: Tokens, birth: str, flagged: bool
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers, [_child(birth, school_status="非在校生")])
    warnings = await _recompute(monitoring, headers, hid)
    dropouts = [w for w in warnings if w["rule"] == "compulsory_education_dropout"]
    assert len(dropouts) == int(flagged)
    if flagged:
        assert dropouts[0]["line"] == "保障线"
        assert dropouts[0]["grade"] == "红色"
        assert dropouts[0]["subject"] == f"member:{dropouts[0]['data']['member_id']}"
        assert dropouts[0]["data"]["birth_date"] == f"{birth[:4]}-{birth[4:6]}-{birth[6:]}"


async def test_a_child_in_school_raises_nothing(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers, [_child("20150601", school_status="小学")])
    assert await _recompute(monitoring, headers, hid) == []


async def test_the_school_age_range_is_configurable(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers, [_child("20080601", school_status="非在校生")])  # sixteen
    assert await _recompute(monitoring, headers, hid) == []
    settings = monitoring_app.state.ctx.settings
    default = settings.rules
    settings.rules = default.model_copy(update={"compulsory_school_age_max": 17})
    try:
        assert [w["rule"] for w in await _recompute(monitoring, headers, hid)] == ["compulsory_education_dropout"]
    finally:
        settings.rules = default


async def test_an_uninsured_member_is_yellow_until_insured(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers, [_child("19990101", medical_insured=False)])
    [warning] = await _recompute(monitoring, headers, hid)
    assert (warning["line"], warning["grade"], warning["rule"]) == ("保障线", "黄色", "medical_insurance_missing")
    member_id = warning["data"]["member_id"]
    patched = await monitoring.patch(
        f"/members/{member_id}", json={"medical_insured": True}, headers={**headers, "If-Match": '"1"'}
    )
    assert patched.status_code == 200, patched.text
    assert await _recompute(monitoring, headers, hid) == []


async def test_raise_warning_from_another_module_never_duplicates(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = token_for("village", VILLAGE)
    hid = await _household(monitoring, headers, [])
    session = session_on(COMMON)
    first = await service.raise_warning(
        session, hid, Line.guarantee, Grade.red, "housing_grade", "区住建局", {"grade": "D"}, subject="house"
    )
    again = await service.raise_warning(
        session, hid, Line.guarantee, Grade.red, "housing_grade", "区住建局", {"grade": "D"}, subject="house"
    )
    first_id = first.id
    assert again.id == first_id
    await session.commit()

    # The system's recompute leaves a department's warning alone.
    [kept] = await _recompute(monitoring, headers, hid)
    assert (kept["id"], kept["source"], kept["rule"]) == (first_id, "区住建局", "housing_grade")

    session = session_on(COMMON)
    lowered = await service.raise_warning(
        session, hid, Line.guarantee, Grade.yellow, "housing_grade", "区住建局", {"grade": "C"}, subject="house"
    )
    assert lowered.id != first_id
    assert await service.resolve_warning(session, hid, Line.guarantee, "housing_grade", "区住建局", subject="house")
    assert not await service.resolve_warning(session, hid, Line.guarantee, "housing_grade", "区住建局", subject="house")
    await session.commit()
    history = await monitoring.get(f"/households/{hid}/warnings?include_resolved=true", headers=headers)
    assert [(w["grade"], w["resolved_at"] is not None) for w in history.json()["items"]] == [
        ("红色", True),
        ("黄色", True),
    ]


async def test_warning_lists_are_scoped_and_filtered(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    district = token_for("district", DISTRICT)
    mine = await _household(monitoring, district, _uninsured())
    dropout = await _household(monitoring, district, [_child("20150101", school_status="非在校生")])
    neighbour = await _household(monitoring, district, _uninsured(), region=OTHER_VILLAGE)
    far = await _household(monitoring, district, _uninsured(), region=OTHER_TOWN_VILLAGE)
    recomputed = await monitoring.post("/warnings/recompute", headers=district)
    assert recomputed.status_code == 200, recomputed.text

    village = token_for("village", VILLAGE)
    listed = await monitoring.get("/warnings", headers=village)
    assert {w["household_id"] for w in listed.json()["items"]} == {mine, dropout}
    assert (await monitoring.get(f"/households/{neighbour}/warnings", headers=village)).status_code == 404
    assert (await monitoring.post(f"/households/{neighbour}/warnings/recompute", headers=village)).status_code == 404
    asked_elsewhere = await monitoring.get(f"/warnings?region_code={OTHER_VILLAGE}", headers=village)
    assert asked_elsewhere.json()["items"] == []

    town = token_for("town", TOWN)
    in_town = await monitoring.get("/warnings", headers=town)
    assert {w["household_id"] for w in in_town.json()["items"]} == {mine, dropout, neighbour}
    only_red = await monitoring.get("/warnings?grade=红色", headers=town)
    assert [w["household_id"] for w in only_red.json()["items"]] == [dropout]
    by_line = await monitoring.get("/warnings?line=收入线", headers=town)
    assert by_line.json()["items"] == []
    one_village = await monitoring.get(f"/warnings?region_code={OTHER_VILLAGE}", headers=town)
    assert [w["household_id"] for w in one_village.json()["items"]] == [neighbour]

    everything = await monitoring.get("/warnings", headers=district)
    assert far in {w["household_id"] for w in everything.json()["items"]}
    first = await monitoring.get("/warnings?limit=2", headers=district)
    second = await monitoring.get(f"/warnings?limit=2&cursor={first.json()['next_cursor']}", headers=district)
    paged = [w["id"] for w in first.json()["items"] + second.json()["items"]]
    assert paged == sorted(w["id"] for w in everything.json()["items"])
    assert (await monitoring.get("/warnings?grade=紫色", headers=district)).status_code == 422


async def test_region_recompute_is_set_based_scoped_and_refused_to_villages(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    connection: AsyncConnection,
    session_on: Callable[..., AsyncSession],
) -> None:
    district = token_for("district", DISTRICT)
    await _household(monitoring, district, _uninsured())
    await _household(monitoring, district, _uninsured(), region=OTHER_TOWN_VILLAGE)

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(connection.sync_connection, "before_cursor_execute", count)
    try:
        town = token_for("town", TOWN)
        first = await monitoring.post("/warnings/recompute", headers=town)
        assert first.status_code == 200, first.text
        assert first.json()["rules"]["medical_insurance_missing"]["raised"] == 1  # the other town is not touched
        few = len(statements)
        for _ in range(5):
            await _household(monitoring, district, _uninsured())
        statements.clear()
        second = await monitoring.post("/warnings/recompute", headers=town)
        assert second.json()["rules"]["medical_insurance_missing"]["raised"] == 5
        assert len(statements) == few  # the same statements, however many households
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", count)

    open_count = select(func.count()).select_from(HouseholdWarning).where(HouseholdWarning.resolved_at.is_(None))
    assert await session_on(COMMON).scalar(open_count) == 6
    assert (await monitoring.post("/warnings/recompute", headers=district)).json()["rules"][
        "medical_insurance_missing"
    ]["raised"] == 1
    assert await session_on(COMMON).scalar(open_count) == 7

    village = token_for("village", VILLAGE)
    assert (await monitoring.post("/warnings/recompute", headers=village)).status_code == 403
    elsewhere = await monitoring.post(f"/warnings/recompute?region_code={OTHER_TOWN_VILLAGE}", headers=town)
    assert elsewhere.status_code == 404
    unknown = await monitoring.post("/warnings/recompute?region_code=360702191999", headers=town)
    assert unknown.status_code == 404


async def test_the_nightly_job_recomputes_the_whole_district_and_is_idempotent(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Callable[..., AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tasks = worker_actors.warnings_tasks
    district = token_for("district", DISTRICT)
    await _household(monitoring, district, _uninsured())
    await _household(monitoring, district, _uninsured(), region=OTHER_TOWN_VILLAGE)
    monkeypatch.setattr(tasks, "sessions", lambda: session_on(COMMON))
    monkeypatch.setattr(tasks, "today_in_shanghai", lambda: TODAY)
    job = tasks.recompute_warnings.fn.__wrapped__  # type: ignore[attr-defined]
    open_count = select(func.count()).select_from(HouseholdWarning).where(HouseholdWarning.resolved_at.is_(None))

    await job()
    assert await session_on(COMMON).scalar(open_count) == 2
    await job()  # a redelivered message
    await job(region_code=VILLAGE)
    total = select(func.count()).select_from(HouseholdWarning)
    assert await session_on(COMMON).scalar(total) == 2
    assert tasks.recompute_warnings.options["cron"] == "30 1 * * *"
