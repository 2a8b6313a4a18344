"""Prepared statements for the hottest reads: a Core statement compiled for asyncpg once, then run on the session's
own driver connection (inside the session's transaction when it has one).

Executing through the session builds the statement, looks up its compiled form, wraps the cursor and processes
every value of every row, about 250 µs of CPU a statement against 40 µs on the driver connection (the registry
benchmark's profile). Queries still live in repositories and query modules, built with SQLAlchemy Core; a statement
whose shape varies (optional filters, a village or a larger scope) is compiled once per shape (`ByShape`).
Rows come back as asyncpg records with the driver's own types: no ORM objects, nothing to change.
"""

from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_DIALECT = asyncpg_dialect()
K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

# What the driver raises when its connection is gone or its protocol state is broken: SQLAlchemy does not see these
# (the statement bypassed it), so the connection must be invalidated here or the pool would hand it out again.
_CONNECTION_BROKEN = (
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08
    asyncpg.exceptions.OperatorInterventionError,  # class 57: the server shutting down or terminating the backend
    asyncpg.InterfaceError,  # the connection is closed
    asyncpg.exceptions.InternalClientError,  # the protocol was left mid-operation
    OSError,
)


async def driver_connection(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under the session's. A session that runs in a transaction has it begun on the
    database first (SQLAlchemy sends BEGIN lazily, with its first statement), so what runs here is part of it."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    if not isinstance(driver, asyncpg.Connection):
        raise TypeError(f"not an asyncpg connection: {driver!r}")
    adapted = raw.dbapi_connection
    if adapted is None:
        raise TypeError("the session's connection is closed")
    if not adapted.autocommit and not driver.is_in_transaction():
        await connection.exec_driver_sql("SELECT 1")
    return driver


class Prepared:
    """One statement compiled for asyncpg; run with its bind parameters by name (values bound when the statement
    was built, such as a literal in a WHERE clause, are kept)."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        if not isinstance(compiled, SQLCompiler):
            raise TypeError(f"not a SQL statement: {statement!r}")
        self.sql = compiled.string
        self._names = tuple(compiled.positiontup or ())
        self._bound = dict(compiled.params)

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        return [params[name] if name in params else self._bound[name] for name in self._names]

    async def fetch(self, session: AsyncSession, **params: Any) -> list[asyncpg.Record]:
        return await _on_driver(session, lambda driver: driver.fetch(self.sql, *self.arguments(params)))

    async def fetchrow(self, session: AsyncSession, **params: Any) -> asyncpg.Record | None:
        return await _on_driver(session, lambda driver: driver.fetchrow(self.sql, *self.arguments(params)))

    async def execute(self, session: AsyncSession, **params: Any) -> None:
        await _on_driver(session, lambda driver: driver.execute(self.sql, *self.arguments(params)))


async def _on_driver(session: AsyncSession, call: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    driver = await driver_connection(session)
    try:
        return await call(driver)
    except _CONNECTION_BROKEN as exc:
        if not isinstance(exc, asyncpg.exceptions.QueryCanceledError):  # a statement timeout leaves it usable
            await (await session.connection()).invalidate(exc)
        raise


class ByShape(Generic[K]):
    """A statement whose shape varies, compiled on first use of each shape: `build(shape)` makes the statement."""

    def __init__(self, build: Callable[[K], ClauseElement]) -> None:
        self._build = build
        self._compiled: dict[K, Prepared] = {}

    def __getitem__(self, shape: K) -> Prepared:
        prepared = self._compiled.get(shape)
        if prepared is None:
            prepared = self._compiled[shape] = Prepared(self._build(shape))
        return prepared
