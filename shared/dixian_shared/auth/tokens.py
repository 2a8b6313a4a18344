"""JWTs with OIDC-style claims: the built-in issuer signs them; every service verifies them itself."""

import hashlib
import json
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt import PyJWK, PyJWKClient
from starlette.concurrency import run_in_threadpool

from dixian_shared.auth.principal import Principal, Role
from dixian_shared.errors import Unauthorized
from dixian_shared.settings import AuthSettings


def generate_key_pair(private_path: Path, public_path: Path) -> None:
    """Write a new RSA key pair (PEM) for the built-in issuer; used by ./dev and the tests."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public_path.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def write_public_key(private_path: Path, public_path: Path) -> None:
    """Write the public key of an existing private key (PEM)."""
    private_key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    public_path.write_bytes(
        private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def _key_id(public_pem: bytes) -> str:
    return hashlib.sha256(public_pem).hexdigest()[:16]


class TokenIssuer:
    def __init__(self, settings: AuthSettings) -> None:
        if settings.private_key_file is None:
            raise RuntimeError("the built-in token issuer needs auth.private_key_file")
        self._settings = settings
        self._private_pem = settings.private_key_file.read_bytes()
        private_key = serialization.load_pem_private_key(self._private_pem, password=None)
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise ValueError(f"{settings.private_key_file} is not an RSA private key")
        public_pem = private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self._kid = _key_id(public_pem)
        self._jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private_key.public_key()))
        self._jwk.update({"kid": self._kid, "use": "sig", "alg": settings.algorithm})

    def issue(self, *, subject: str, role: str, region_code: str, name: str) -> tuple[str, int]:
        now = int(time.time())
        ttl = self._settings.token_ttl_seconds
        claims = {
            "iss": self._settings.issuer,
            "aud": self._settings.audience,
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
            "name": name,
            self._settings.role_claim: role,
            self._settings.region_claim: region_code,
        }
        token = jwt.encode(claims, self._private_pem, algorithm=self._settings.algorithm, headers={"kid": self._kid})
        return token, ttl

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self._jwk]}


# Claims end up in audit rows and records (actor, cadre name): longer ones are refused, not truncated.
MAX_SUBJECT = 64
MAX_NAME = 50
CACHE_SIZE = 10_000


class TokenVerifier:
    """Checks signature, issuer, audience and expiry; the key comes from a PEM file or a JWKS URL."""

    def __init__(self, settings: AuthSettings) -> None:
        self._settings = settings
        self._cache: dict[str, tuple[Principal, float]] = {}
        self._public_key: Any = None
        self._jwks_client: PyJWKClient | None = None
        if settings.jwks_url:
            self._jwks_client = PyJWKClient(settings.jwks_url, cache_keys=True)
        elif settings.public_key_file is not None:
            self._public_key = serialization.load_pem_public_key(settings.public_key_file.read_bytes())
        else:
            raise RuntimeError("token verification needs auth.public_key_file or auth.jwks_url")

    async def _key(self, token: str) -> Any:
        if self._jwks_client is None:
            return self._public_key
        signing_key: PyJWK = await run_in_threadpool(self._jwks_client.get_signing_key_from_jwt, token)
        return signing_key.key

    async def verify(self, token: str) -> Principal:
        """The principal a valid token names. A token seen before is answered from a small cache until it expires:
        checking an RS256 signature on every request of a busy client costs more than the query it guards."""
        cached = self._cache.get(token)
        if cached is not None and cached[1] > time.time():
            return cached[0]
        principal, expires = await self._verify(token)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[token] = (principal, expires)
        return principal

    async def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            claims = jwt.decode(
                token,
                await self._key(token),
                algorithms=[self._settings.algorithm],
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthorized(f"invalid token: {exc}", detail_zh=f"令牌无效或已过期（{exc}）") from None
        try:
            role = Role(claims[self._settings.role_claim])
            region = str(claims[self._settings.region_claim])
        except (KeyError, ValueError):
            raise Unauthorized(
                "the token carries no valid role and region", detail_zh="令牌中没有有效的角色和区划"
            ) from None
        if len(region) != 12 or not region.isascii() or not region.isdigit():
            raise Unauthorized("the token's region code is not 12 digits", detail_zh="令牌中的区划代码不是 12 位数字")
        if len(str(claims["sub"])) > MAX_SUBJECT or len(str(claims.get("name", ""))) > MAX_NAME:
            raise Unauthorized("the token's subject or name is too long", detail_zh="令牌中的用户标识或姓名过长")
        name = claims.get("name", "")
        principal = Principal(subject=f"user:{claims['sub']}", role=role, region_code=region, name=name)
        return principal, float(claims["exp"])
