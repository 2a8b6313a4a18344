"""Idempotency-Key: a different body under a used key is refused whatever its size or transfer encoding, and the
same body, however sent, is a replay. The endpoint still reads the whole body after it was fingerprinted."""

import json
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import VILLAGE
from dixian_shared import idnumber
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON

Tokens = Callable[..., dict[str, str]]
PADDING = 3 * (1 << 20) // 2  # 1.5 MiB of JSON whitespace: past the old 1 MiB limit on what was hashed


def _body(head_name: str, serial: int) -> bytes:
    member = {
        "id_number": idnumber.make(f"36070219800101{serial:03d}"),
        "name": head_name,
        "relation": "户主",
        "labour_skill": "普通劳动力",
    }
    household = {"region_code": VILLAGE, "head_name": head_name, "category": "脱贫户", "members": [member]}
    return json.dumps(household, ensure_ascii=False).encode() + b" " * PADDING


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 64 * 1024):
        yield body[start : start + 64 * 1024]


async def _households(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(Household.head_name).order_by(Household.id)))


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_large_body_is_fingerprinted_whole(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], chunked: bool
) -> None:
    headers = {**token_for("village", VILLAGE), "Idempotency-Key": "large-1", "Content-Type": "application/json"}

    async def post(body: bytes) -> httpx.Response:
        content = _chunks(body) if chunked else body
        return await monitoring.post("/households", content=content, headers=headers)

    first_body = _body("张三", 1)
    first = await post(first_body)
    assert first.status_code == 201, first.text
    assert first.json()["head_name"] == "张三"  # the endpoint read the whole body after it was hashed

    replay = await post(first_body)
    assert replay.status_code == 201
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == first.json()

    other = _body("李四", 2)
    assert len(other) == len(first_body)  # the same length: only the bytes tell them apart
    refused = await post(other)
    assert refused.status_code == 422
    assert refused.json()["code"] == "idempotency-key-reused"
    assert await _households(session_on(COMMON)) == ["张三"]
    assert await session_on(COMMON).scalar(select(func.count()).select_from(COMMON.idempotency_key)) == 1


async def test_a_chunked_small_body_differing_from_the_first_is_refused(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    headers = {**token_for("village", VILLAGE), "Idempotency-Key": "small-1", "Content-Type": "application/json"}
    first = await monitoring.post("/households", content=_chunks(_body("王五", 3)[:2000]), headers=headers)
    assert first.status_code == 201, first.text
    refused = await monitoring.post("/households", content=_chunks(_body("赵六", 4)[:2000]), headers=headers)
    assert refused.status_code == 422
    assert await _households(session_on(COMMON)) == ["王五"]
