"""Search: by the start of a name, pinyin initials, ID number or phone; only within the caller's region; ID numbers
masked in the hits; the import and every ORM write keep the initials the search reads."""

from collections.abc import Callable

import httpx
from sqlalchemy import select

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from monitoring_api.households.models import Member
from monitoring_api.households.pinyin import initials
from monitoring_api.models import COMMON

from .helpers import household, member
from .test_import_files import csv_bytes, family, upload
from .test_measure_helpers import Sessions

Tokens = Callable[..., dict[str, str]]


async def _register(monitoring: httpx.AsyncClient, token_for: Tokens, region: str, *names: str, **kw: str) -> dict:  # type: ignore[type-arg]
    people = [member(name=names[0], relation="户主"), *(member(name=n, relation="之子") for n in names[1:])]
    response = await monitoring.post(
        "/households", json=household(region, people, head_name=names[0], **kw), headers=token_for("district", DISTRICT)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _names(monitoring: httpx.AsyncClient, headers: dict[str, str], q: str) -> list[str]:
    response = await monitoring.get("/search", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    return sorted(hit["name"] for hit in response.json()["items"])


def test_initials() -> None:
    assert initials("张三丰") == "zsf"
    assert initials("单雄信") == "sxx"  # 单 as a family name
    assert initials("阿不都·热合曼") == "abdrhm"
    assert initials("Li Ming") == "liming"


async def test_by_name_initials_id_number_and_phone_within_scope(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    mine = await _register(monitoring, token_for, VILLAGE, "张三丰", "张小明", phone="13912345678")
    await _register(monitoring, token_for, OTHER_VILLAGE, "张三", "赵四")
    await _register(monitoring, token_for, OTHER_TOWN_VILLAGE, "章三")
    village, town, district = (
        token_for("village", VILLAGE),
        token_for("town", TOWN),
        token_for("district", DISTRICT),
    )
    assert await _names(monitoring, village, "张") == ["张三丰", "张小明"]
    assert await _names(monitoring, town, "张三") == ["张三", "张三丰"]
    assert await _names(monitoring, village, "zs") == ["张三丰"]
    assert await _names(monitoring, town, "ZS") == ["张三", "张三丰", "赵四"]  # 赵四 is zs too
    assert await _names(monitoring, district, "zs") == ["张三", "张三丰", "章三", "赵四"]
    assert await _names(monitoring, village, "zx") == ["张小明"]
    head = mine["members"][0]
    hits = (await monitoring.get("/search", params={"q": head["id_number"]}, headers=village)).json()["items"]
    assert [(h["member_id"], h["household_id"], h["head_name"]) for h in hits] == [(head["id"], mine["id"], "张三丰")]
    masked = head["id_number"][:6] + "********" + head["id_number"][-4:]
    assert (hits[0]["id_number"], hits[0]["id_number_masked"]) == (masked, True)  # a list masks, even the village's
    hits = (await monitoring.get("/search", params={"q": head["id_number"]}, headers=town)).json()["items"]
    assert (hits[0]["id_number"], hits[0]["id_number_masked"]) == (masked, True)
    assert await _names(monitoring, village, "13912345678") == ["张三丰", "张小明"]  # the household's phone
    # Another village's person is not found, whatever is searched.
    assert await _names(monitoring, token_for("village", OTHER_TOWN_VILLAGE), "张") == []
    assert await _names(monitoring, village, "%") == []
    assert (await monitoring.get("/search", params={"q": ""}, headers=village)).status_code == 422
    assert (await monitoring.get("/search", params={"q": "张"}, headers=token_for("cadre", VILLAGE))).status_code == 403


async def test_renames_and_imports_keep_the_initials(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    created = await _register(monitoring, token_for, VILLAGE, "李四")
    head = created["members"][0]
    renamed = await monitoring.patch(
        f"/members/{head['id']}",
        json={"name": "王五"},
        headers={**token_for("village", VILLAGE), "If-Match": f'"{head["version"]}"'},
    )
    assert renamed.status_code == 200, renamed.text
    rows = family("IMP-1", VILLAGE, 2, 姓名="欧阳娜娜", 户主姓名="欧阳娜娜")
    imported = await upload(monitoring, token_for("village", VILLAGE), csv_bytes(rows))
    assert imported.status_code == 200, imported.text
    async with session_on(COMMON) as session:
        stored = {
            name: letters for name, letters in (await session.execute(select(Member.name, Member.name_initials))).all()
        }
    assert stored["王五"] == "ww"
    assert stored["欧阳娜娜"] == "oynn"
    assert stored["成员1"] == "cy1"
    assert await _names(monitoring, token_for("village", VILLAGE), "oy") == ["欧阳娜娜"]
