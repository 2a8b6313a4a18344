"""Public-welfare positions and assistance-workshop jobs over HTTP: places, occupants, periods and their rules."""

from datetime import date

import httpx
import pytest
from sqlalchemy.exc import IntegrityError
from workforce_helpers import Sessions, Tokens, audited, count, make_labourer

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from employment_api.jobs.enums import PositionKind
from employment_api.jobs.models import Occupancy, Position
from employment_api.models import COMMON


def position(**overrides: object) -> dict[str, object]:
    return {
        "kind": "公益性岗位",
        "name": "保洁员",
        "region_code": VILLAGE,
        "employer": "谢岗村委会",
        "monthly_pay": "800.00",
        "opened_on": "2026-01-01",
        **overrides,
    }


async def make_position(client: httpx.AsyncClient, tokens: Tokens, **overrides: object) -> int:
    response = await client.post("/positions", json=position(**overrides), headers=tokens("district", DISTRICT))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def place(
    client: httpx.AsyncClient, tokens: Tokens, position_id: int, labourer_id: int, start: str, end: str | None = None
) -> httpx.Response:
    body = {"labourer_id": labourer_id, "start_on": start, "end_on": end}
    return await client.post(f"/positions/{position_id}/occupancies", json=body, headers=tokens("village", VILLAGE))


async def test_a_position_is_set_up_at_a_place_and_read_by_the_villages_below(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    created = await employment.post(
        "/positions", json=position(region_code=TOWN, employer="潭口镇政府"), headers=token_for("town", TOWN)
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["kind"] == "公益性岗位"
    assert body["monthly_pay"] == "800.00"
    assert created.headers["Location"] == f"/positions/{body['id']}"
    assert created.headers["ETag"] == '"1"'
    assert await audited(session_on(COMMON), "position") == ["insert"]

    url = f"/positions/{body['id']}"
    assert (await employment.get(url, headers=token_for("village", VILLAGE))).status_code == 200
    # A village reads its town's positions but does not change them; another town does not see them at all.
    change = await employment.patch(
        url, json={"name": "护林员"}, headers={**token_for("village", VILLAGE), "If-Match": '"1"'}
    )
    assert change.status_code == 404
    assert (await employment.get(url, headers=token_for("village", OTHER_TOWN_VILLAGE))).status_code == 404


@pytest.mark.parametrize(
    ("role", "region", "place_code"),
    [
        ("village", VILLAGE, OTHER_VILLAGE),  # another village
        ("village", VILLAGE, TOWN),  # the town above: read, not written
        ("town", TOWN, "360702192000"),  # another town
        ("district", DISTRICT, "360702191999"),  # not in the district's region tree
    ],
)
async def test_a_position_is_set_up_only_at_a_known_place_of_the_callers_region(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, role: str, region: str, place_code: str
) -> None:
    response = await employment.post(
        "/positions", json=position(region_code=place_code), headers=token_for(role, region)
    )
    assert response.status_code == 404, response.text
    assert await count(session_on(COMMON), Position) == 0


async def test_refusals_of_a_position_name_their_rule_in_chinese(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    headers = token_for("village", VILLAGE)
    backwards = await employment.post(
        "/positions", json=position(opened_on="2026-05-01", closed_on="2026-04-30"), headers=headers
    )
    assert backwards.status_code == 422
    assert backwards.json()["rule"] == "period-order"
    assert backwards.json()["title"] == "结束日期早于开始日期"
    bad_kind = await employment.post("/positions", json=position(kind="保洁"), headers=headers)
    assert bad_kind.status_code == 422
    assert bad_kind.json()["errors"][0]["field"] == "body.kind"
    negative = await employment.post("/positions", json=position(monthly_pay="-1"), headers=headers)
    assert negative.status_code == 422
    assert await count(session_on(COMMON), Position) == 0


async def test_one_person_holds_one_public_welfare_position_at_a_time(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    cleaner = await make_position(employment, token_for)
    ranger = await make_position(employment, token_for, name="护林员")
    workshop = await make_position(employment, token_for, kind="帮扶车间", name="来料加工", employer="谢岗帮扶车间")

    first = await place(employment, token_for, cleaner, labourer, "2026-03-01", "2026-06-30")
    assert first.status_code == 201, first.text
    assert first.json()["kind"] == "公益性岗位"

    overlapping = await place(employment, token_for, ranger, labourer, "2026-06-30")
    assert overlapping.status_code == 422
    problem = overlapping.json()
    assert problem["rule"] == "one-public-welfare-position-at-a-time"
    assert problem["title"] == "同一时期不得重复安置公益性岗位"
    assert "2026-03-01" in problem["detail"]
    assert await count(session, Occupancy) == 1

    # The same person may work in an assistance workshop meanwhile, and take the next position the day after.
    assert (await place(employment, token_for, workshop, labourer, "2026-04-01")).status_code == 201
    assert (await place(employment, token_for, ranger, labourer, "2026-07-01")).status_code == 201
    # A second spell in the workshop overlapping the first is the same job twice.
    twice = await place(employment, token_for, workshop, labourer, "2026-09-01", "2026-09-30")
    assert twice.status_code == 422
    assert twice.json()["rule"] == "one-occupancy-per-position-and-day"
    assert await count(session, Occupancy) == 3


async def test_the_database_refuses_an_overlap_the_service_did_not_see(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    cleaner = await make_position(employment, token_for)
    ranger = await make_position(employment, token_for, name="护林员")
    kind = PositionKind.public_welfare
    session.add(Occupancy(position_id=cleaner, labourer_id=labourer, kind=kind, start_on=date(2026, 1, 1)))
    await session.flush()
    with pytest.raises(IntegrityError, match="one_public_welfare_position_at_a_time"):
        async with session.begin_nested():
            session.add(Occupancy(position_id=ranger, labourer_id=labourer, kind=kind, start_on=date(2027, 1, 1)))
            await session.flush()


async def test_an_occupancy_lies_within_its_positions_period(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    seasonal = await make_position(employment, token_for, opened_on="2026-03-01", closed_on="2026-10-31")
    early = await place(employment, token_for, seasonal, labourer, "2026-02-28", "2026-05-31")
    assert early.status_code == 422
    assert early.json()["rule"] == "occupancy-within-position"
    open_ended = await place(employment, token_for, seasonal, labourer, "2026-03-01")
    assert open_ended.status_code == 422
    assert open_ended.json()["rule"] == "occupancy-within-position"
    assert (await place(employment, token_for, seasonal, labourer, "2026-03-01", "2026-10-31")).status_code == 201

    url, headers = f"/positions/{seasonal}", token_for("district", DISTRICT)
    closing = await employment.patch(url, json={"closed_on": "2026-09-30"}, headers={**headers, "If-Match": '"1"'})
    assert closing.status_code == 422
    assert closing.json()["rule"] == "occupancy-within-position"
    assert (await employment.get(url, headers=headers)).json()["closed_on"] == "2026-10-31"


async def test_only_the_callers_labourers_on_the_roster_are_placed(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    elsewhere = await make_labourer(session, region=OTHER_VILLAGE)
    left = await make_labourer(session, qualifies=False, left_on=date(2026, 2, 1))
    cleaner = await make_position(employment, token_for, region_code=TOWN)
    hidden = await place(employment, token_for, cleaner, elsewhere, "2026-03-01")
    assert hidden.status_code == 404
    gone = await place(employment, token_for, cleaner, left, "2026-03-01")
    assert gone.status_code == 422
    assert gone.json()["rule"] == "labourer-on-roster"
    assert await count(session, Occupancy) == 0


async def test_an_occupancy_is_ended_with_if_match_and_its_holder_is_fixed(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    cleaner = await make_position(employment, token_for)
    created = await place(employment, token_for, cleaner, labourer, "2026-03-01")
    url = created.headers["Location"]
    headers = token_for("village", VILLAGE)
    end = {"end_on": "2026-08-31", "end_reason": "外出务工"}
    assert (await employment.patch(url, json=end, headers=headers)).status_code == 428
    stale = await employment.patch(url, json=end, headers={**headers, "If-Match": '"7"'})
    assert stale.status_code == 412
    moved = await employment.patch(url, json={"labourer_id": labourer}, headers={**headers, "If-Match": '"1"'})
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["field"] == "body.labourer_id"
    ended = await employment.patch(url, json=end, headers={**headers, "If-Match": '"1"'})
    assert ended.status_code == 200, ended.text
    assert ended.json()["end_on"] == "2026-08-31"
    assert ended.headers["ETag"] == '"2"'
    assert await audited(session, "occupancy") == ["insert", "update"]
    # Another village's staff do not see the occupancy.
    assert (await employment.get(url, headers=token_for("village", OTHER_VILLAGE))).status_code == 404


async def test_a_retried_placement_with_its_idempotency_key_places_once(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    labourer = await make_labourer(session)
    cleaner = await make_position(employment, token_for)
    headers = {**token_for("village", VILLAGE), "Idempotency-Key": "place-1"}
    body = {"labourer_id": labourer, "start_on": "2026-03-01"}
    url = f"/positions/{cleaner}/occupancies"
    first = await employment.post(url, json=body, headers=headers)
    again = await employment.post(url, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert await count(session, Occupancy) == 1


async def test_lists_are_keyset_pages_filtered_by_kind_day_and_person(
    employment: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    alice, bob = await make_labourer(session), await make_labourer(session)
    other = await make_labourer(session, region=OTHER_VILLAGE)
    cleaner = await make_position(employment, token_for)
    workshop = await make_position(employment, token_for, kind="帮扶车间", name="来料加工", employer="谢岗帮扶车间")
    await make_position(employment, token_for, region_code=OTHER_TOWN_VILLAGE, employer="曾坝村委会")
    assert (await place(employment, token_for, cleaner, alice, "2026-01-01", "2026-03-31")).status_code == 201
    assert (await place(employment, token_for, workshop, bob, "2026-02-01")).status_code == 201
    other_place = {"labourer_id": other, "start_on": "2026-02-01"}
    placed = await employment.post(
        f"/positions/{cleaner}/occupancies", json=other_place, headers=token_for("town", TOWN)
    )
    assert placed.status_code == 201

    village = token_for("village", VILLAGE)
    positions = await employment.get("/positions", params={"limit": 1}, headers=village)
    assert [p["id"] for p in positions.json()["items"]] == [cleaner]
    rest = await employment.get(
        "/positions", params={"limit": 1, "cursor": positions.json()["next_cursor"]}, headers=village
    )
    assert [p["id"] for p in rest.json()["items"]] == [workshop]
    assert rest.json()["next_cursor"] is None

    def ids(response: httpx.Response) -> list[int]:
        assert response.status_code == 200, response.text
        return [o["labourer_id"] for o in response.json()["items"]]

    assert ids(await employment.get("/occupancies", headers=village)) == [alice, bob]
    assert ids(await employment.get("/occupancies", params={"held_on": "2026-04-01"}, headers=village)) == [bob]
    assert ids(await employment.get("/occupancies", params={"kind": "公益性岗位"}, headers=village)) == [alice]
    town = token_for("town", TOWN)
    assert ids(await employment.get(f"/positions/{cleaner}/occupancies", headers=town)) == [alice, other]
    assert ids(await employment.get("/occupancies", params={"region_code": OTHER_VILLAGE}, headers=town)) == [other]
