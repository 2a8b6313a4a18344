"""Database engine and session factories, and the declarative base each service builds on its own schema."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from dixian_shared import audit
from dixian_shared.settings import PostgresSettings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def schema_metadata(schema: str) -> MetaData:
    """A MetaData bound to one service's schema, with stable constraint names for migrations."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


def create_engine(settings: PostgresSettings, *, application_name: str = "dixian") -> AsyncEngine:
    return create_async_engine(
        settings.url,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_pre_ping=False,  # a round trip per request; a dropped connection surfaces as a 503 and is replaced
        connect_args={
            "server_settings": {
                "application_name": application_name,
                "statement_timeout": str(settings.statement_timeout_ms),
                "timezone": "Asia/Shanghai",
            }
        },
    )


SessionFactory = Callable[[], AsyncSession]
"""What opens a session: an async_sessionmaker, or an actor's LazySessionmaker (jobs.py) built on first use."""


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose ORM writes are audited once they carry their schema's tables in `info["common"]`."""
    audit.install()
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def unit_of_work(sessionmaker: SessionFactory) -> AsyncIterator[AsyncSession]:
    """One transaction: commit on success, roll back on any error. Used by actors and CLIs."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
