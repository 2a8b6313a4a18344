"""Input the database or the rules would choke on is refused with a 4xx problem, never a 500, and changes nothing."""

import base64
import json
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import VILLAGE
from dixian_shared.auth.api_keys import new_key
from dixian_shared.identity.models import ApiKey
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON

Tokens = Callable[..., dict[str, str]]


def _member(id_number: str) -> dict[str, str]:
    return {"id_number": id_number, "name": "张三", "relation": "户主", "labour_skill": "无劳动力"}


def _household(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "region_code": VILLAGE,
        "head_name": "张三",
        "category": "一般农户",
        "members": [
            {"id_number": "11010519491231002X", "name": "张三", "relation": "户主", "labour_skill": "无劳动力"}
        ],
    }
    body.update(overrides)
    return body


async def test_a_nul_character_is_a_422_and_nothing_is_written(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    response = await monitoring.post(
        "/households", json=_household(head_name="张\x00三"), headers=token_for("village", VILLAGE)
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert await session_on(COMMON).scalar(select(func.count()).select_from(Household)) == 0


@pytest.mark.parametrize("key", [["1", 10**20], ["\x00", 1], ["x" * 300, 1], [1, 2, 3]])
async def test_a_forged_cursor_is_a_422(monitoring: httpx.AsyncClient, token_for: Tokens, key: list[object]) -> None:
    cursor = base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")
    response = await monitoring.get("/households", params={"cursor": cursor}, headers=token_for("district", VILLAGE))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.cursor"
    assert response.json()["errors"][0]["message"] == "不是本接口给出的分页游标"


async def test_full_width_digits_are_not_an_id_number(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in "11010519491231002X")
    body = _household(
        members=[{"id_number": full_width, "name": "张三", "relation": "户主", "labour_skill": "无劳动力"}]
    )
    response = await monitoring.post("/households", json=body, headers=token_for("village", VILLAGE))
    assert response.status_code == 422


async def test_a_token_with_an_overlong_subject_is_refused(monitoring: httpx.AsyncClient, token_for: Tokens) -> None:
    response = await monitoring.get("/households", headers=token_for("village", VILLAGE, subject="9" * 200))
    assert response.status_code == 401


async def test_department_keys_and_cadres_do_not_read_the_registry(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    created = await monitoring.post("/households", json=_household(), headers=token_for("village", VILLAGE))
    household_id = created.json()["id"]
    key, prefix, secret_hash = new_key()
    session = session_on(COMMON)
    session.add(
        ApiKey(
            prefix=prefix,
            secret_hash=secret_hash,
            name="区医保分中心",
            role="department",
            region_code="360702000000",
            scopes=["medical_enrolment"],
        )
    )
    await session.commit()
    for headers in ({"X-API-Key": key}, token_for("cadre", VILLAGE), token_for("department", "360702000000")):
        assert (await monitoring.get("/households", headers=headers)).status_code == 403
        assert (await monitoring.get(f"/households/{household_id}", headers=headers)).status_code == 403
        assert (await monitoring.get(f"/households/{household_id}/income", headers=headers)).status_code == 403
