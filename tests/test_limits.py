"""Guards against floods and guessing: a request-size limit (413), a rate limit per person and per API key (429,
counted in Redis so it holds across replicas), and failed sign-ins slowed down, then locked, before any hashing."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from conftest import DISTRICT, VILLAGE, rolled_back_context
from dixian_shared.auth import passwords
from dixian_shared.auth.api_keys import new_key
from dixian_shared.identity import router as identity_router
from dixian_shared.identity.models import ApiKey, User
from dixian_shared.settings import LimitSettings
from monitoring_api.app import create_app
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON
from monitoring_api.settings import MonitoringSettings

Tokens = Callable[..., dict[str, str]]


@pytest.fixture
def limited(service_settings: Callable[..., Any], connection: AsyncConnection) -> Callable[..., FastAPI]:
    def make(**limits: Any) -> FastAPI:
        settings: MonitoringSettings = service_settings(MonitoringSettings)
        settings.limits = LimitSettings(**limits)
        return create_app(settings, rolled_back_context(settings, COMMON, connection))

    return make


async def _client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://monitoring") as client:
        yield client


@pytest.fixture
async def small_bodies(limited: Callable[..., FastAPI]) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(limited(max_body_bytes=4096)):
        yield client


def _household_json(padding: int) -> bytes:
    body = f'{{"region_code": "{VILLAGE}", "head_name": "张三", "category": "一般农户", "members": []}}'
    return body.encode() + b" " * padding


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 1000):
        yield body[start : start + 1000]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_body_over_the_limit_is_a_413_problem_and_writes_nothing(
    small_bodies: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession], chunked: bool
) -> None:
    headers = {**token_for("village", VILLAGE), "Content-Type": "application/json"}
    fits = await small_bodies.post("/households", content=_household_json(3000), headers=headers)
    assert fits.status_code == 201, fits.text
    body = _household_json(5000)
    response = await small_bodies.post("/households", content=_chunks(body) if chunked else body, headers=headers)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["code"], problem["params"]) == (413, "http-413", {"limit": 4096})
    assert problem["detail"] == "请求内容超过本服务接受的大小"
    in_english = await small_bodies.post(
        "/households", content=_chunks(body) if chunked else body, headers={**headers, "Accept-Language": "en"}
    )
    assert in_english.json()["detail"] == "the request body is larger than this service accepts"
    assert await session_on(COMMON).scalar(select(func.count()).select_from(Household)) == 1


async def test_a_streamed_upload_is_not_held_to_the_json_limit(
    small_bodies: httpx.AsyncClient, session_on: Callable[..., AsyncSession]
) -> None:
    key, prefix, secret_hash = new_key()
    session = session_on(COMMON)
    session.add(ApiKey(prefix=prefix, secret_hash=secret_hash, name="区医保分中心", role="department",
                       region_code=DISTRICT, scopes=["medical_enrolment"]))  # fmt: skip
    await session.commit()
    headers = {"X-API-Key": key}
    opened = await small_bodies.post(
        "/batches",
        json={"data_type": "medical_enrolment", "period": "2024-05", "department_batch_id": "big-1"},
        headers=headers,
    )
    assert opened.status_code == 201, opened.text
    rows = "".join(f"36070219800101{n:04d},张三\n" for n in range(1000))  # ~25 KB, past the 4 KiB JSON limit
    part = await small_bodies.put(
        f"/batches/{opened.json()['id']}/parts/1",
        content=("id_number,name\n" + rows).encode(),
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert part.status_code != 413, part.text


def _wait_for_a_fresh_minute() -> None:
    """The count is per clock minute: start far enough from its end that the test's requests share one."""
    left = 60 - time.time() % 60
    if left < 5:
        time.sleep(left + 0.1)


async def test_a_person_and_a_key_are_each_limited_per_minute(
    limited: Callable[..., FastAPI], token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    key, prefix, secret_hash = new_key()
    session = session_on(COMMON)
    session.add(ApiKey(prefix=prefix, secret_hash=secret_hash, name="区医保分中心", role="department",
                       region_code=DISTRICT, scopes=["medical_enrolment"]))  # fmt: skip
    await session.commit()
    me = token_for("district", DISTRICT, subject=f"rate-{uuid.uuid4().hex[:8]}")
    other = token_for("district", DISTRICT, subject=f"rate-{uuid.uuid4().hex[:8]}")
    _wait_for_a_fresh_minute()
    async for client in _client(limited(requests_per_minute=5)):
        assert [(await client.get("/households", headers=me)).status_code for _ in range(5)] == [200] * 5
        refused = await client.get("/households", headers=me)
        assert refused.status_code == 429
        assert refused.json()["code"] == "too-many-requests"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert (await client.get("/households", headers=other)).status_code == 200  # someone else is not slowed
        statuses = [(await client.get("/batches", headers={"X-API-Key": key})).status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]


async def test_the_limit_holds_across_replicas(limited: Callable[..., FastAPI], token_for: Tokens) -> None:
    me = token_for("district", DISTRICT, subject=f"rate-{uuid.uuid4().hex[:8]}")
    _wait_for_a_fresh_minute()
    first, second = limited(requests_per_minute=4), limited(requests_per_minute=4)  # two apps, one Redis
    async for one in _client(first):
        async for two in _client(second):
            statuses = [(await (one if n % 2 else two).get("/households", headers=me)).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


async def test_failed_sign_ins_are_slowed_then_locked_before_any_hash_is_computed(
    limited: Callable[..., FastAPI], session_on: Callable[..., AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    username = f"guess-{uuid.uuid4().hex[:8]}"
    session = session_on(COMMON)
    session.add(User(username=username, password_hash=passwords.hash_password("right-pass"), name="谢岗村信息员",
                     role="village", region_code=VILLAGE))  # fmt: skip
    await session.commit()
    hashed: list[str] = []
    real_verify = identity_router.verify_password

    def counting(password_hash: str, password: str) -> bool:
        hashed.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(identity_router, "verify_password", counting)
    app = limited(login_slow_after=2, login_lock_after=4, login_lock_seconds=2, login_max_delay_seconds=1)
    async for client in _client(app):

        async def sign_in(password: str, client: httpx.AsyncClient = client) -> httpx.Response:
            return await client.post("/auth/token", data={"username": username, "password": password})

        assert [(await sign_in("wrong")).status_code for _ in range(2)] == [401, 401]  # free tries
        assert (await sign_in("wrong")).status_code == 401  # the third failure: the next try waits 1 s
        too_soon = await sign_in("right-pass")
        assert too_soon.status_code == 429
        assert too_soon.json()["code"] == "sign-in-locked"
        assert len(hashed) == 3  # the early try cost no hash
        await asyncio.sleep(1.1)
        assert (await sign_in("wrong")).status_code == 401  # the fourth failure locks the username
        locked = await sign_in("right-pass")
        assert locked.status_code == 429
        assert int(locked.headers["Retry-After"]) >= 1
        assert len(hashed) == 4
        await asyncio.sleep(2.1)
        assert (await sign_in("right-pass")).status_code == 200  # unlocked, and the count starts again
        assert (await sign_in("wrong")).status_code == 401
        assert (await sign_in("wrong")).status_code == 401
        assert (await sign_in("right-pass")).status_code == 200


async def test_an_unknown_username_is_throttled_like_a_known_one(limited: Callable[..., FastAPI]) -> None:
    username = f"nobody-{uuid.uuid4().hex[:8]}"
    async for client in _client(limited(login_slow_after=1, login_lock_after=2, login_lock_seconds=60)):
        statuses = [
            (await client.post("/auth/token", data={"username": username, "password": "x"})).status_code
            for _ in range(3)
        ]
    assert statuses == [401, 401, 429]
