"""Writing a part's rows into the staging table with COPY, a chunk at a time, and its refused rows beside them."""

import asyncio
import contextlib
import json
import math
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.sector.intake.fields import STAGED_COLUMNS
from monitoring_api.sector.intake.parsing import RecordBatch
from monitoring_api.sector.intake.validation import BatchValidator
from monitoring_api.sector.models import row_error, staged_row
from monitoring_api.settings import SCHEMA

CHUNK_ROWS = 10_000  # rows per COPY: large enough to amortise the round trip, small enough to stay light
ERROR_COLUMNS = ("batch_id", "part_number", "line_number", "errors", "data")
MAX_ECHO_CHARS = 200


@dataclass
class PartCounts:
    received: int = 0
    accepted: int = 0
    rejected: int = 0


async def raw_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, inside the session's transaction (and savepoint, in tests)."""
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is None:
        raise RuntimeError("the session's connection has no driver connection (closed)")
    if not driver.is_in_transaction():
        # The asyncpg adapter sends BEGIN with its first statement; a COPY straight on the driver would autocommit.
        await session.execute(text("SELECT 1"))
    assert driver.is_in_transaction()
    return driver


def _storable(value: str) -> str:
    """jsonb takes neither NUL nor a lone surrogate; the echo is for reading, so they are replaced."""
    return value[:MAX_ECHO_CHARS].replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def _shown(value: Any) -> Any:
    if isinstance(value, str):
        return _storable(value)
    if isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    return _storable(json.dumps(value, default=str)) if value is not None else None


def _echo(values: dict[str, Any] | None) -> str | None:
    """The row as received, cut short, so that the department can find it in its own file."""
    if values is None:
        return None
    shown = {_storable(str(k)): _shown(v) for k, v in list(values.items())[:40]}
    return json.dumps(shown, ensure_ascii=False, allow_nan=False)


class _Copier:
    """COPY in chunks, one in flight while the next is parsed, so PostgreSQL ingests while Python validates."""

    def __init__(self, driver: Any, columns: tuple[str, ...]) -> None:
        self.driver = driver
        self.columns = columns
        self.rows: list[tuple[Any, ...]] = []
        self.errors: list[tuple[Any, ...]] = []
        self.in_flight: asyncio.Task[Any] | None = None

    async def _start(self, copy: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        if self.in_flight is not None:
            await self.in_flight  # one statement at a time on a connection
        self.in_flight = asyncio.ensure_future(copy())

    async def _copy(self, table: str, columns: tuple[str, ...], records: list[tuple[Any, ...]]) -> None:
        copy = self.driver.copy_records_to_table
        await self._start(partial(copy, table, records=records, columns=columns, schema_name=SCHEMA))

    async def copy_as_sent(self, columns: tuple[str, ...], data: bytes) -> None:
        """Lines in the department's own CSV (behind the row's identity), read by PostgreSQL itself. A quoted empty
        field is absent, as in the one-by-one reading (FORCE_NULL; unquoted, it is NULL anyway)."""
        copy = partial(self.driver.copy_to_table, staged_row.name, schema_name=SCHEMA, format="csv")
        source = memoryview(data)  # asyncpg would take bytes for a file name
        await self._start(partial(copy, source=source, columns=(*STAGED_COLUMNS[:3], *columns), force_null=columns))

    async def flush(self, *, force: bool = False) -> None:
        if self.rows and (force or len(self.rows) >= CHUNK_ROWS):
            rows, self.rows = self.rows, []
            await self._copy(staged_row.name, self.columns, rows)
        if self.errors and (force or len(self.errors) >= CHUNK_ROWS):
            errors, self.errors = self.errors, []
            await self._copy(row_error.name, ERROR_COLUMNS, errors)
        if force and self.in_flight is not None:
            await self.in_flight
            self.in_flight = None

    async def settle(self) -> None:
        """After a failure: let the COPY in flight end, so the connection is free for the rollback."""
        if self.in_flight is not None:
            with contextlib.suppress(Exception):
                await self.in_flight
            self.in_flight = None


async def stage_part(
    session: AsyncSession,
    batch_id: int,
    part_number: int,
    records: AsyncIterator[RecordBatch],
    validator: BatchValidator,
) -> PartCounts:
    """Validate every record; COPY the good ones into sector_row and the refused ones, with reasons, beside them."""
    copier = _Copier(await raw_connection(session), validator.copy_columns)
    counts = PartCounts()
    try:
        async for batch in records:
            as_sent = validator.columns_as_sent(batch)
            if as_sent is not None:
                counts.received += len(batch.lines)
                counts.accepted += len(batch.lines)
                await copier.copy_as_sent(as_sent, _lines_as_sent(batch_id, part_number, batch))
                continue
            rows, refused = validator.check(batch_id, part_number, batch)
            counts.received += len(batch.lines) + len(batch.unreadable)
            counts.accepted += len(rows)
            counts.rejected += len(refused) + len(batch.unreadable)
            copier.rows += rows
            for line, problems, record in refused:
                copier.errors.append((batch_id, part_number, line, _problems(problems), _echo(record)))
            for line, reason in batch.unreadable:
                copier.errors.append(
                    (batch_id, part_number, line, _problems([{"field": "row", "reason": reason}]), None)
                )
            await copier.flush()
        await copier.flush(force=True)
    except BaseException:
        await copier.settle()
        raise
    return counts


def _lines_as_sent(batch_id: int, part_number: int, batch: RecordBatch) -> bytes:
    """Each line as sent, after the staging row's identity: batch, part and line number."""
    assert batch.sent is not None
    line = f"{batch_id},{part_number},{{}},{{}}\n".format
    return "".join(map(line, batch.lines, batch.sent)).encode()


def _problems(problems: list[dict[str, str]]) -> str:
    return json.dumps(problems, ensure_ascii=False)


async def drain(records: AsyncIterator[RecordBatch]) -> None:
    """Read a re-sent part to its end without keeping anything: only its digest is wanted."""
    async for _ in records:
        pass
