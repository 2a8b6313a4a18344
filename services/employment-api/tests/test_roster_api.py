"""GET /labourers: region-scoped, keyset-paged, only people who are or were on the roster."""

import httpx
from emp_helpers import Sessions, Tokens, add_household, member, registry, sync

from conftest import OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE

__all__ = ["registry"]


async def test_a_village_reads_its_own_labourers_only(
    monitoring: httpx.AsyncClient,
    employment: httpx.AsyncClient,
    registry: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    ids = {}
    for code in (VILLAGE, OTHER_VILLAGE, OTHER_TOWN_VILLAGE):
        household = await add_household(monitoring, token_for, code, [member(), member(), member(skill="无劳动力")])
        await sync(session_on, registry, "household", household["id"])
        ids[code] = {m["id"] for m in household["members"][:2]}

    async def listed(role: str, code: str, **params: object) -> set[int]:
        found, cursor = set(), None
        while True:
            page = await employment.get(
                "/labourers",
                params={"limit": 1, **params, **({"cursor": cursor} if cursor else {})},
                headers=token_for(role, code),
            )
            assert page.status_code == 200, page.text
            found |= {item["member_id"] for item in page.json()["items"]}
            if not (cursor := page.json()["next_cursor"]):
                return found

    assert await listed("village", VILLAGE) == ids[VILLAGE]
    assert await listed("town", TOWN) == ids[VILLAGE] | ids[OTHER_VILLAGE]
    assert await listed("district", "360702000000", region_code=OTHER_VILLAGE) == ids[OTHER_VILLAGE]
    first = (await employment.get("/labourers", headers=token_for("town", TOWN))).json()["items"][0]
    own = await employment.get(f"/labourers/{first['id']}", headers=token_for("town", TOWN))
    assert own.status_code == 200 and own.headers["ETag"] == f'"{first["version"]}"'
    other = await employment.get(f"/labourers/{first['id']}", headers=token_for("village", OTHER_TOWN_VILLAGE))
    assert other.status_code == 404
    assert (await employment.get("/labourers", headers=token_for("cadre", VILLAGE))).status_code == 403
