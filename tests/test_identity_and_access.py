"""Signing in, tokens accepted by every service, API keys scoped to data types, and bad credentials refused."""

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import VILLAGE
from dixian_shared.auth.api_keys import new_key
from dixian_shared.auth.passwords import hash_password
from dixian_shared.identity.models import ApiKey, User
from monitoring_api.models import COMMON


@pytest.fixture
async def village_user(session_on: Callable[..., AsyncSession]) -> User:
    session = session_on(COMMON)
    user = User(
        username="xg-info",
        password_hash=hash_password("correct horse"),
        name="信息员",
        role="village",
        region_code=VILLAGE,
    )
    session.add(user)
    await session.commit()
    return user


async def _sign_in(monitoring: httpx.AsyncClient, password: str = "correct horse") -> httpx.Response:
    return await monitoring.post("/auth/token", data={"username": "xg-info", "password": password})


async def test_a_signed_in_users_token_is_accepted_by_all_three_services(
    monitoring: httpx.AsyncClient, funds: httpx.AsyncClient, employment: httpx.AsyncClient, village_user: User
) -> None:
    response = await _sign_in(monitoring)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["role"] == "village"
    assert body["region_code"] == VILLAGE
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    for client in (monitoring, funds, employment):
        answer = await client.get(f"/regions/{VILLAGE}", headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["name"] == "谢岗村"


async def test_a_wrong_password_gets_a_problem_and_no_token(monitoring: httpx.AsyncClient, village_user: User) -> None:
    response = await _sign_in(monitoring, "wrong")
    assert response.status_code == 401
    assert "access_token" not in response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "用户名或密码错误，或账号已停用"  # Chinese by default, like every problem


async def test_tokens_from_another_issuer_or_tampered_are_refused(
    monitoring: httpx.AsyncClient, funds: httpx.AsyncClient, token_for: Callable[..., dict[str, str]]
) -> None:
    good = token_for("district", "360702000000")["Authorization"]
    tampered = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    for client in (monitoring, funds):
        response = await client.get("/regions", headers={"Authorization": tampered})
        assert response.status_code == 401
    assert (await funds.get("/regions", headers={"Authorization": "Bearer not-a-jwt"})).status_code == 401


async def test_the_jwks_and_discovery_documents_describe_the_issuer(monitoring: httpx.AsyncClient) -> None:
    jwks = (await monitoring.get("/.well-known/jwks.json")).json()
    assert jwks["keys"][0]["kty"] == "RSA"
    discovery = (await monitoring.get("/.well-known/openid-configuration")).json()
    assert discovery["jwks_uri"].endswith("/.well-known/jwks.json")


async def test_api_keys_authenticate_and_a_revoked_or_unknown_key_does_not(
    monitoring: httpx.AsyncClient, session_on: Callable[..., AsyncSession]
) -> None:
    key, prefix, secret_hash = new_key()
    session = session_on(COMMON)
    api_key = ApiKey(
        prefix=prefix,
        secret_hash=secret_hash,
        name="区医保分中心",
        role="department",
        region_code="360702000000",
        scopes=["medical_enrolment"],
    )
    session.add(api_key)
    await session.commit()
    assert (await monitoring.get("/regions", headers={"X-API-Key": key})).status_code == 200
    assert (await monitoring.get("/regions", headers={"X-API-Key": key[:-2] + "xx"})).status_code == 401
    assert (await monitoring.get("/regions", headers={"X-API-Key": "dx_nope"})).status_code == 401
    api_key.active = False
    await session.commit()
    assert (await monitoring.get("/regions", headers={"X-API-Key": key})).status_code == 401


@pytest.mark.parametrize(
    ("id_number", "reason"),
    [
        ("110105194912310021", "check character"),
        ("110105194902300028", "does not exist"),
        ("11010519491231002", "18 characters"),
        ("11010519491231002X1", "18 characters"),
    ],
)
async def test_bad_id_numbers_are_refused_with_a_problem_naming_the_field(
    monitoring: httpx.AsyncClient, token_for: Callable[..., dict[str, str]], id_number: str, reason: str
) -> None:
    body = {
        "region_code": VILLAGE,
        "head_name": "张三",
        "category": "一般农户",
        "members": [{"id_number": id_number, "name": "张三", "relation": "户主", "labour_skill": "普通劳动力"}],
    }
    headers = {**token_for("village", VILLAGE), "Accept-Language": "en"}  # the reasons asserted are the English
    response = await monitoring.post("/households", json=body, headers=headers)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "body.members.0.id_number"
    assert reason in error["message"] or reason.split()[0] in error["message"]


async def test_lower_case_x_is_accepted_and_normalised(
    monitoring: httpx.AsyncClient, token_for: Callable[..., dict[str, str]]
) -> None:
    body = {
        "region_code": VILLAGE,
        "head_name": "张三",
        "category": "一般农户",
        "members": [
            {"id_number": "11010519491231002x", "name": "张三", "relation": "户主", "labour_skill": "无劳动力"}
        ],
    }
    response = await monitoring.post("/households", json=body, headers=token_for("village", VILLAGE))
    assert response.status_code == 201
    assert response.json()["members"][0]["id_number"] == "11010519491231002X"
