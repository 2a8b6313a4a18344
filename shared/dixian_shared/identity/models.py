"""Users and API keys; written only by the admin CLI, read by the token endpoint and every service's auth."""

from datetime import datetime

from sqlalchemy import ARRAY, BigInteger, Boolean, DateTime, Identity, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dixian_shared.db import schema_metadata

SCHEMA = "identity"


class IdentityBase(DeclarativeBase):
    metadata = schema_metadata(SCHEMA)


class User(IdentityBase):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ApiKey(IdentityBase):
    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(String(12))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
