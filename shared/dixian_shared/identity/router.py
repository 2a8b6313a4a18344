"""The built-in token issuer: OAuth2 password grant, JWKS and OIDC discovery. Replaceable by an external provider."""

from typing import Annotated, Any

from fastapi import Form, Request
from pydantic import BaseModel
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from dixian_shared import limits
from dixian_shared.auth.passwords import hash_password, verify_password
from dixian_shared.errors import ProblemError
from dixian_shared.identity.models import User
from dixian_shared.routing import DbSession, make_router

router = make_router(tags=["identity"])

_DUMMY_HASH = hash_password("no such user")


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    role: str
    region_code: str


class InvalidGrant(ProblemError):
    status, slug, title = 401, "invalid-grant", "Wrong username or password"
    template = "the username or password is wrong, or the account is disabled"
    title_zh = "用户名或密码错误"
    template_zh = "用户名或密码错误，或账号已停用"


@router.post("/auth/token", response_model=TokenResponse, summary="Sign in: exchange a username and password for a JWT")
async def issue_token(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form(min_length=1, max_length=80)],
    password: Annotated[str, Form(min_length=1, max_length=200)],
    grant_type: Annotated[str, Form(pattern="^password$")] = "password",
) -> TokenResponse:
    ctx = request.app.state.ctx
    # Refused before the user is looked up or any password hashed: each guess costs a 64 MiB argon2 hash.
    await limits.check_sign_in(ctx.redis, ctx.settings.limits, username)
    user = await session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    known_hash = user.password_hash if user is not None else _DUMMY_HASH  # same work whether or not the user exists
    if not await run_in_threadpool(verify_password, known_hash, password) or user is None:
        await limits.sign_in_failed(ctx.redis, ctx.settings.limits, username)
        raise InvalidGrant()
    await limits.sign_in_succeeded(ctx.redis, username)
    token, ttl = request.app.state.ctx.extras["issuer"].issue(
        subject=str(user.id), role=user.role, region_code=user.region_code, name=user.name
    )
    return TokenResponse(access_token=token, expires_in=ttl, role=user.role, region_code=user.region_code)


@router.get("/.well-known/jwks.json", summary="Public keys that verify the tokens")
async def jwks(request: Request) -> dict[str, list[dict[str, Any]]]:
    return request.app.state.ctx.extras["issuer"].jwks()


@router.get("/.well-known/openid-configuration", summary="OIDC discovery document")
async def openid_configuration(request: Request) -> dict[str, str | list[str]]:
    settings = request.app.state.ctx.settings.auth
    base = str(request.base_url).rstrip("/")
    return {
        "issuer": settings.issuer,
        "token_endpoint": f"{base}/auth/token",
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "grant_types_supported": ["password"],
        "id_token_signing_alg_values_supported": [settings.algorithm],
    }
