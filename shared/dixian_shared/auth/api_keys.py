"""API keys for department systems: `dx_<prefix>_<secret>`, stored as prefix + SHA-256 of the high-entropy secret."""

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, Role
from dixian_shared.errors import Unauthorized
from dixian_shared.identity.models import ApiKey


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key() -> tuple[str, str, str]:
    """(full key to hand out once, prefix, secret hash to store)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"dx_{prefix}_{secret}", prefix, _hash(secret)


async def authenticate_api_key(session: AsyncSession, key: str) -> Principal:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "dx":
        raise Unauthorized("malformed API key", detail_zh="API 密钥格式不正确")
    _, prefix, secret = parts
    row = await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.active.is_(True)))
    if row is None or not hmac.compare_digest(row.secret_hash, _hash(secret)):
        raise Unauthorized("unknown or revoked API key", detail_zh="API 密钥不存在或已停用")
    return Principal(
        subject=f"key:{row.prefix}",
        role=Role(row.role),
        region_code=row.region_code,
        name=row.name,
        kind="api_key",
        scopes=frozenset(row.scopes),
    )
