"""Registry search (GET /search) by name or ID number: scoped, ID numbers masked as in every list (the full number is
read on the member's own record), every search audited."""

from collections.abc import Callable

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_VILLAGE, TOWN, VILLAGE
from monitoring_api.models import COMMON

from .helpers import household, member, person_id

Tokens = Callable[..., dict[str, str]]
URL = "/search"


async def _register(client: httpx.AsyncClient, tokens: Tokens, region: str, *people: dict) -> dict:  # type: ignore[type-arg]
    body = household(region, list(people), head_name=people[0]["name"])
    response = await client.post("/households", json=body, headers=tokens("district", DISTRICT))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_search_by_name_or_id_number_in_scope_with_masked_ids_and_an_audit_row(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    li_id, liu_id, other_id = person_id("19700101"), person_id("19720101"), person_id("19750101")
    mine = await _register(
        monitoring,
        token_for,
        VILLAGE,
        member(id_number=li_id, name="李秀英"),
        member(id_number=liu_id, name="李秀兰", relation="配偶"),
    )
    await _register(monitoring, token_for, VILLAGE, member(name="王建国"))
    await _register(monitoring, token_for, OTHER_VILLAGE, member(id_number=other_id, name="李秀珍"))

    village = token_for("village", VILLAGE, subject="41")
    found = await monitoring.get(URL, params={"q": "李秀"}, headers=village)
    assert found.status_code == 200, found.text
    items = found.json()["items"]
    # A search answers a list, and lists mask ID numbers for every role, the village's own included.
    assert [(i["name"], i["household_id"], i["id_number"]) for i in items] == [
        ("李秀英", mine["id"], li_id[:6] + "********" + li_id[-4:]),
        ("李秀兰", mine["id"], liu_id[:6] + "********" + liu_id[-4:]),
    ]
    assert items[0]["head_name"] == "李秀英" and items[0]["category"] == "脱贫户"
    assert items[0]["id_number_masked"] is True

    town = (await monitoring.get(URL, params={"q": "李秀"}, headers=token_for("town", TOWN))).json()["items"]
    assert [i["name"] for i in town] == ["李秀英", "李秀兰", "李秀珍"]
    assert town[0]["id_number"] == li_id[:6] + "********" + li_id[-4:]
    assert all(i["id_number_masked"] for i in town)
    assert li_id not in str(town)

    by_id = await monitoring.get(URL, params={"q": li_id.lower()}, headers=token_for("district", DISTRICT))
    assert [i["member_id"] for i in by_id.json()["items"]] == [mine["members"][0]["id"]]
    hidden = await monitoring.get(URL, params={"q": other_id}, headers=village)
    assert hidden.json()["items"] == []  # another village's person: not found, nothing revealed

    first = (await monitoring.get(URL, params={"q": "李", "limit": 1}, headers=village)).json()
    second = await monitoring.get(URL, params={"q": "李", "limit": 1, "cursor": first["next_cursor"]}, headers=village)
    assert [i["name"] for i in first["items"] + second.json()["items"]] == ["李秀英", "李秀兰"]
    assert (await monitoring.get(URL, params={"q": "%"}, headers=village)).json()["items"] == []

    audit = COMMON.audit_log
    rows = (
        await session_on(COMMON).execute(
            select(audit).where(audit.c.entity == "member", audit.c.action == "search").order_by(audit.c.id)
        )
    ).all()
    assert rows[0].actor == "user:41"
    assert rows[0].changes["query"] == "李秀"
    assert rows[0].changes["member_ids"] == [i["member_id"] for i in items]
    assert rows[0].changes["id_numbers_shown"] is False
    assert len(rows) == 7


async def test_search_needs_a_query_and_a_staff_role(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    village = token_for("village", VILLAGE)
    assert (await monitoring.get(URL, headers=village)).status_code == 422
    assert (await monitoring.get(URL, params={"q": ""}, headers=village)).status_code == 422
    assert (await monitoring.get(URL, params={"q": "李"}, headers=token_for("cadre", VILLAGE))).status_code == 403
