"""The working lists name the people in them: each item about a labourer carries the name (and the household and
village) the roster holds, read by the list's own query, scoped and paged as before, ID numbers never shown."""

from datetime import date
from typing import Any, NamedTuple

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from workforce_helpers import Sessions, Tokens, make_labourer, set_today

from conftest import OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.testing.export_check import assert_export_matches, json_items, workbook
from employment_api.app import ROUTERS
from employment_api.models import COMMON
from employment_api.roster.models import Labourer

MONTH = "2026-10"
TODAY = date(2026, 10, 9)
SHARED_HOUSEHOLD = 900_001
WORKING = {"status": "务工", "place": "省外", "employer": "东莞电子厂", "monthly_income": "4500.50"}


class Person(NamedTuple):
    name: str
    household_id: int
    region_code: str
    id_number: str


class World(NamedTuple):
    people: dict[int, Person]  # every labourer, by id
    working: dict[str, int]  # per village: the one in work (position, survey, training, subsidy)
    idle: dict[str, int]  # per village: the one not working, a job seeker
    position: dict[str, int]
    training: int


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> int:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture
async def world(
    employment: httpx.AsyncClient, employment_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> World:
    """谢岗村: 赖春花 works; 刘建国 (未就业) and 钟秀英 (not entered) share a household, nobody in it working.
    谢圩村: 谢德明 works; 曾丽华 does not. The workers hold a position, were surveyed in March, attend a training and
    got a subsidy; the idle ones seek work."""
    set_today(employment_app, TODAY)
    session = session_on(COMMON)
    district = token_for("district", "360702000000")
    training = await _post(
        employment,
        "/trainings",
        {"title": "电工技能培训班", "kind": "技能培训", "region_code": TOWN, "organizer": "区人社局",
         "start_on": "2026-05-11", "end_on": "2026-05-22"},
        token_for("town", TOWN),
    )  # fmt: skip
    arranged = {
        VILLAGE: [("赖春花", None), ("刘建国", SHARED_HOUSEHOLD), ("钟秀英", SHARED_HOUSEHOLD)],
        OTHER_VILLAGE: [("谢德明", None), ("曾丽华", None)],
    }
    working, idle, positions = {}, {}, {}
    for region, names in arranged.items():
        ids = [
            await make_labourer(session, region=region, name=name, **({"household_id": h} if h else {}))
            for name, h in names
        ]
        working[region], idle[region] = ids[0], ids[1]
        staff = token_for("village", region)
        await _post(employment, f"/ledger/{MONTH}/entries", {"labourer_id": ids[0], **WORKING}, staff)
        await _post(employment, f"/ledger/{MONTH}/entries", {"labourer_id": ids[1], "status": "未就业"}, staff)
        position = {"kind": "公益性岗位", "name": "保洁员", "region_code": region, "employer": "村委会",
                    "opened_on": "2026-01-01"}  # fmt: skip
        positions[region] = await _post(employment, "/positions", position, district)
        occupancy = {"labourer_id": ids[0], "start_on": "2026-02-01"}
        await _post(employment, f"/positions/{positions[region]}/occupancies", occupancy, staff)
        await _post(employment, "/job-seekers", {"labourer_id": ids[1], "registered_on": "2026-05-01"}, staff)
        survey = {"labourer_id": ids[0], "surveyed_on": "2026-03-01", "surveyed_by": "村信息员",
                  "wants_training": True}  # fmt: skip
        await _post(employment, "/training-surveys", survey, staff)
        await _post(employment, f"/trainings/{training}/attendance", {"labourer_id": ids[0]}, staff)
        grant = {"labourer_id": ids[0], "kind": "交通补贴", "period": "2026", "amount": "500.00",
                 "granted_on": "2026-08-01", "granted_by": "区人社局"}  # fmt: skip
        await _post(employment, "/subsidies", grant, staff)
    rows = await session.execute(
        select(Labourer.id, Labourer.name, Labourer.household_id, Labourer.region_code, Labourer.id_number)
    )
    people = {r.id: Person(r.name, r.household_id, r.region_code, r.id_number) for r in rows}
    return World(people, working, idle, positions, training)


def _lists(world: World) -> list[tuple[str, dict[str, Any], str]]:
    """Each list of records about labourers, and which of the world's roles its items are ("working" or "idle")."""
    return [
        (f"/ledger/{MONTH}/entries", {}, "both"),
        ("/occupancies", {}, "working"),
        (f"/positions/{world.position[VILLAGE]}/occupancies", {}, "working"),
        ("/job-seekers", {}, "idle"),
        ("/job-seekers/missing", {}, "idle"),
        ("/training-surveys", {}, "working"),
        ("/training-surveys/overdue", {}, "working"),
        (f"/trainings/{world.training}/attendance", {}, "working"),
        ("/attendance", {}, "working"),
        ("/subsidies", {}, "working"),
    ]


ROLES = {"working": ("working",), "idle": ("idle",), "both": ("working", "idle")}


def _expected(world: World, who: str, regions: set[str]) -> list[tuple[int, str, int, str]]:
    """(labourer id, name, household, village) of the list's people in these villages, as the roster holds them."""
    chosen = [getattr(world, role)[region] for role in ROLES[who] for region in regions]
    return sorted((i, *world.people[i][:3]) for i in chosen)


def _named(items: list[dict[str, Any]]) -> list[tuple[int, str, int, str]]:
    return sorted((i["labourer_id"], i["name"], i["household_id"], i["region_code"]) for i in items)


async def test_every_list_names_its_labourers_with_household_and_village(
    employment: httpx.AsyncClient, token_for: Tokens, world: World
) -> None:
    town, village = token_for("town", TOWN), token_for("village", VILLAGE)
    for path, params, who in _lists(world):
        regions = {VILLAGE} if "/positions/" in path else {VILLAGE, OTHER_VILLAGE}
        found = _named(await json_items(employment, path, town, params))
        assert found == _expected(world, who, regions), path
        # The village sees its own people, named, and nobody of its neighbour.
        assert _named(await json_items(employment, path, village, params)) == _expected(world, who, {VILLAGE}), path
    names = {p.name for p in world.people.values()}
    assert names == {"赖春花", "刘建国", "钟秀英", "谢德明", "曾丽华"}


async def test_zero_employment_households_name_each_labourer_in_the_order_of_the_ids(
    employment: httpx.AsyncClient, token_for: Tokens, world: World
) -> None:
    path = f"/targets/{MONTH}/zero-employment-households"
    items = await json_items(employment, path, token_for("town", TOWN), {})
    by_household = {h["household_id"]: h for h in items}
    shared = by_household[SHARED_HOUSEHOLD]
    assert shared["labourer_ids"] == sorted(shared["labourer_ids"])
    assert shared["labourer_names"] == [world.people[i].name for i in shared["labourer_ids"]] == ["刘建国", "钟秀英"]
    other = by_household[world.people[world.idle[OTHER_VILLAGE]].household_id]
    assert (other["labourer_ids"], other["labourer_names"]) == ([world.idle[OTHER_VILLAGE]], ["曾丽华"])
    assert len(items) == 2  # the workers' households have someone employed
    village = await json_items(employment, path, token_for("village", VILLAGE), {})
    assert [h["labourer_names"] for h in village] == [["刘建国", "钟秀英"]]
    rows = (await workbook(employment, path, token_for("village", VILLAGE), {})).get_sheet_by_index(0).to_python()
    assert [r[rows[0].index("劳动力姓名")] for r in rows[1:]] == ["刘建国、钟秀英"]


async def test_the_exports_carry_the_names_under_姓名(
    employment: httpx.AsyncClient, token_for: Tokens, world: World
) -> None:
    town = token_for("town", TOWN)
    for path, params, who in _lists(world):
        found = await assert_export_matches(employment, path, town, ROUTERS, params)
        rows = (await workbook(employment, path, town, params)).get_sheet_by_index(0).to_python()
        column = rows[0].index("姓名")
        assert [r[column] for r in rows[1:]] == [i["name"] for i in found], path
        regions = {VILLAGE} if "/positions/" in path else {VILLAGE, OTHER_VILLAGE}
        assert sorted(r[column] for r in rows[1:]) == sorted(e[1] for e in _expected(world, who, regions)), path


async def test_names_are_shown_and_id_numbers_never(
    employment: httpx.AsyncClient, token_for: Tokens, world: World
) -> None:
    town = token_for("town", TOWN)
    paths = [p for p, _, _ in _lists(world)] + [f"/targets/{MONTH}/zero-employment-households"]
    for path in paths:
        response = await employment.get(path, headers=town)
        assert response.status_code == 200, response.text
        assert all("id_number" not in item for item in response.json()["items"]), path
        assert not any(p.id_number in response.text for p in world.people.values()), path


async def test_the_name_is_the_rosters_now(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, world: World
) -> None:
    """Names are read from the roster when the list is read, not copied into the records: a correction in the
    registry (synced to the roster) shows in every list at once."""
    session = session_on(COMMON)
    worker = world.working[VILLAGE]
    await session.execute(update(Labourer).where(Labourer.id == worker).values(name="赖春华"))
    await session.flush()
    village = token_for("village", VILLAGE)
    for path in (f"/ledger/{MONTH}/entries", "/subsidies", "/occupancies", "/attendance", "/training-surveys"):
        items = await json_items(employment, path, village, {})
        assert {i["name"] for i in items if i["labourer_id"] == worker} == {"赖春华"}, path


async def test_a_page_of_many_runs_the_same_statements_as_a_page_of_one(
    employment: httpx.AsyncClient, token_for: Tokens, connection: AsyncConnection, world: World
) -> None:
    """The names come with the list's own query (a join), not a lookup per item."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    town = token_for("town", TOWN)
    # A position's occupancies are read by the same query as /occupancies; this position has one holder only.
    paths = [p for p, _, _ in _lists(world) if "/positions/" not in p]
    paths.append(f"/targets/{MONTH}/zero-employment-households")
    event.listen(connection.sync_connection, "before_cursor_execute", count)
    try:
        for path in paths:
            counts = []
            for limit in (1, 50):
                statements.clear()
                response = await employment.get(path, params={"limit": limit}, headers=town)
                assert response.status_code == 200, response.text
                counts.append((len(statements), len(response.json()["items"])))
                assert any("employment.labourer" in statement for statement in statements), path
            (one, one_items), (many, many_items) = counts
            assert one_items == 1 and many_items > 1, path
            assert one == many, (path, one, many)
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", count)
