"""The import's TEMP staging tables: created per import, filled by COPY, read back for the report."""

from collections.abc import Sequence
from typing import Any

from asyncpg import Connection
from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Date,
    Integer,
    MetaData,
    Table,
    Text,
    and_,
    exists,
    func,
    insert,
    literal,
    not_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.schema import CreateTable, DropTable
from sqlalchemy.sql import FromClause

from monitoring_api.imports.rows import ERROR_COLUMNS, STAGING_COLUMNS, Batch

# Temporary tables live in the session's own pg_temp schema (no schema here), vanish at commit, and are never
# seen by another connection, so concurrent imports cannot meet in them.
_TEMP = MetaData()
_BOOLEAN = ("ok", "is_head", "medical_insured", "pension_insured", "dibao", "tekun", "public_welfare_job")
_TYPES: dict[str, Any] = {"row_no": Integer, "lifted_year": Integer, "birth_date": Date, "included_on": Date}
_TYPES |= dict.fromkeys(_BOOLEAN, Boolean)
STAGING = Table(
    "household_import_row",
    _TEMP,
    *(Column(name, _TYPES.get(name, Text)) for name in STAGING_COLUMNS),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
ERRORS = Table(
    "household_import_error",
    _TEMP,
    *(Column(name, Integer if name == "row_no" else Text) for name in ERROR_COLUMNS),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
S, E = STAGING.c, ERRORS.c


async def create_staging(session: AsyncSession) -> Connection:
    """Fresh staging tables; returns the driver connection of the session's transaction, for COPY."""
    conn = await session.connection()
    for table in (STAGING, ERRORS):
        await conn.execute(DropTable(table, if_exists=True))
        await conn.execute(CreateTable(table))
    raw = await conn.get_raw_connection()
    return raw.driver_connection


async def drop_staging(session: AsyncSession) -> None:
    conn = await session.connection()
    for table in (ERRORS, STAGING):
        await conn.execute(DropTable(table, if_exists=True))


async def copy_batch(driver: Connection, batch: Batch) -> None:
    if batch.records:
        await driver.copy_records_to_table(STAGING.name, records=batch.records, columns=list(STAGING_COLUMNS))
    if batch.errors:
        await driver.copy_records_to_table(ERRORS.name, records=batch.errors, columns=list(ERROR_COLUMNS))


async def analyze(session: AsyncSession) -> None:
    # Autovacuum never analyzes temporary tables; without statistics the planner would nest-loop 100,000 rows.
    await session.execute(text(f"ANALYZE {STAGING.name}, {ERRORS.name}"))


async def reject(
    session: AsyncSession,
    where: Sequence[ColumnElement[bool]],
    column: str,
    reason: ColumnElement[Any],
    joined: FromClause = STAGING,
) -> None:
    """Record an error for every staging row of `joined` (STAGING, or a join from it) that matches `where`."""
    source = select(S.row_no, S.household_number, literal(column, Text), reason).select_from(joined).where(*where)
    await session.execute(insert(ERRORS).from_select(list(ERROR_COLUMNS), source))


def fmt(template: str, *args: Any) -> ColumnElement[str]:
    """A reason built in SQL from the row's values (PostgreSQL format())."""
    return func.format(literal(template, Text), *args)


def household_rejected() -> ColumnElement[bool]:
    return exists().where(E.household_number == S.household_number)


async def skip_bad_households(session: AsyncSession) -> None:
    """A household with any bad row is left out whole: its good rows are reported as skipped."""
    where = [household_rejected(), not_(exists().where(E.row_no == S.row_no))]
    reason = fmt("household %s skipped: another of its rows was rejected", S.household_number)
    await reject(session, where, "户编号", reason)


def accepted() -> ColumnElement[bool]:
    """A good row of a household none of whose rows was rejected."""
    return and_(S.ok, not_(household_rejected()))


async def counts(session: AsyncSession) -> dict[str, int]:
    # A join, not EXISTS inside the aggregates' FILTER: that would rescan the errors once per staged row.
    rejected = select(E.household_number).where(E.household_number.is_not(None)).distinct().subquery("rejected")
    good = and_(S.ok, rejected.c.household_number.is_(None))
    staged = (
        await session.execute(
            select(
                func.count().label("rows"),
                func.count(S.household_number.distinct()).label("households"),
                func.count().filter(good).label("members"),
                func.count(S.household_number.distinct()).filter(good).label("accepted_households"),
            ).select_from(STAGING.outerjoin(rejected, rejected.c.household_number == S.household_number))
        )
    ).one()
    errors = (
        await session.execute(
            select(
                func.count(E.row_no.distinct()).label("rows"),
                func.count(E.household_number.distinct()).label("households"),
                func.count().label("entries"),
            )
        )
    ).one()
    return {
        "rows": staged.rows,
        "households": staged.households,
        "accepted_members": staged.members,
        "accepted_households": staged.accepted_households,
        "rejected_rows": errors.rows,
        "rejected_households": errors.households,
        "errors": errors.entries,
    }


async def first_errors(session: AsyncSession, limit: int) -> Sequence[Any]:
    stmt = select(E.row_no, E.field, E.reason).order_by(E.row_no, E.field, E.reason).limit(limit)
    return (await session.execute(stmt)).all()
