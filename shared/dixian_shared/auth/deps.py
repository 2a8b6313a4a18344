"""FastAPI dependencies that authenticate the caller and check its role or scope."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from dixian_shared import personal
from dixian_shared.auth.api_keys import authenticate_api_key
from dixian_shared.auth.principal import ROLE_NAMES_ZH, Principal, Role
from dixian_shared.errors import Forbidden, Unauthorized
from dixian_shared.limits import count_request

bearer_scheme = HTTPBearer(auto_error=False, description="JWT from the token endpoint or the identity provider")
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="department or provincial system key")


async def authenticate(request: Request) -> Principal:
    """Resolve the caller once per request; the transactional route and the dependency share the result."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    credentials = await bearer_scheme(request)
    api_key = await api_key_scheme(request)
    if credentials is not None:
        principal = await request.app.state.ctx.verifier.verify(credentials.credentials)
    elif api_key:
        principal = await authenticate_api_key(request.state.session, api_key)
    else:
        raise Unauthorized(
            "send a bearer token or an X-API-Key header",
            detail_zh="请登录后携带令牌（Bearer），或在 X-API-Key 中提供 API 密钥",
        )
    request.state.principal = principal
    request.state.session.info["principal"] = principal
    personal.set_full_view(principal.role == Role.service)
    ctx = request.app.state.ctx
    await count_request(ctx.redis, ctx.settings.limits, principal.subject)
    return principal


async def current_principal(
    request: Request,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    _key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal:
    return await authenticate(request)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role, keys: bool = False) -> Callable[[Principal], Awaitable[Principal]]:
    """People of these roles; API keys (a department's or the province's system) only where `keys` says the route is
    meant for systems too. A department's key carries the department role for pushing its data types: without this,
    any department's key would pass every check that names the department role for the department's people."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden(
                f"the {principal.role} role may not do this", detail_zh=f"{ROLE_NAMES_ZH[principal.role]}无权执行此操作"
            )
        if principal.kind == "api_key" and not keys:
            raise Forbidden(
                "an API key may not do this: it is for people who sign in",
                detail_zh="接口密钥不能执行此操作：须由本人登录办理",
            )
        return principal

    return check


def require_scope(scope: str) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.kind == "api_key" and not principal.has_scope(scope):
            raise Forbidden(
                f"this API key may not send or read {scope} data", detail_zh=f"此 API 密钥无权报送或读取 {scope} 数据"
            )
        return principal

    return check


def require_service_scope(scope: str) -> Callable[[Principal], Awaitable[Principal]]:
    """Another Dixian process with a service key holding `scope`, or a district user (who may see the same)."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.role == Role.district and principal.kind == "user":
            return principal
        if principal.role == Role.service and principal.has_scope(scope):
            return principal
        raise Forbidden(
            f"only a service key with the {scope} scope may do this",
            detail_zh=f"只有具备 {scope} 权限的服务密钥才能执行此操作",
        )

    return check
