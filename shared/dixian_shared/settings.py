"""Settings blocks, read from the environment; each service composes them under its own prefix."""

from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/dixian"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class PostgresSettings(BaseModel):
    url: str = DEFAULT_DATABASE_URL
    # 20 kept connections, no overflow: the same ceiling as 10 + 10, but a burst past 10 requests no longer opens
    # and closes a connection per request (a backend fork, type introspection and statement preparation each time,
    # what the registry benchmark's profile showed under load). Connections are opened on demand, never ahead.
    pool_size: int = 20
    max_overflow: int = 0
    statement_timeout_ms: int = 30_000


class RedisSettings(BaseModel):
    url: str = DEFAULT_REDIS_URL


class AuthSettings(BaseModel):
    """Token verification; the built-in issuer can be replaced by any OIDC provider through these."""

    issuer: str = "dixian"
    audience: str = "dixian"
    jwks_url: str | None = None
    public_key_file: Path | None = None
    private_key_file: Path | None = Field(default=None, description="set only where the built-in issuer runs")
    algorithm: str = "RS256"
    token_ttl_seconds: int = 3600
    role_claim: str = "role"
    region_claim: str = "region_code"


class OutboxSettings(BaseModel):
    relay_enabled: bool = True
    batch_size: int = 200
    poll_seconds: float = 2.0
    max_backoff_seconds: float = 30.0


class LimitSettings(BaseModel):
    """Guards against floods and guessing; every number is configurable (`*_LIMITS__…`)."""

    max_body_bytes: int = Field(default=8 << 20, description="largest request body (streamed uploads excepted)")
    requests_per_minute: int = Field(
        default=6000, description="per person and per API key, across replicas (Redis); 0 turns the limit off"
    )
    login_slow_after: int = Field(default=3, description="failed sign-ins before each further try must wait")
    login_lock_after: int = Field(default=10, description="failed sign-ins that lock the username")
    login_lock_seconds: int = Field(default=900, description="how long a locked username stays locked")
    login_max_delay_seconds: int = Field(default=60, description="the longest wait between tries before the lock")


class PersonalDataSettings(BaseModel):
    """Who sees ID numbers and phone numbers in full on a single record (every such read is audited); lists and
    exports show them masked to everyone but another Dixian service."""

    full_record_roles: list[str] = ["district", "town", "village"]


class ServiceSettings(BaseSettings):
    """The settings every service has; a service subclasses it with its own prefix and domain blocks."""

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    service_name: str = "dixian"
    db_schema: str = "public"
    postgres: PostgresSettings = PostgresSettings()
    redis: RedisSettings = RedisSettings()
    auth: AuthSettings = AuthSettings()
    outbox: OutboxSettings = OutboxSettings()
    limits: LimitSettings = LimitSettings()
    personal: PersonalDataSettings = PersonalDataSettings()
    log_level: str = "INFO"
