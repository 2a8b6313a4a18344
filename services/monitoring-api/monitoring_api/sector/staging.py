"""Writing a part's rows into the staging table with COPY, a chunk at a time, and its refused rows beside them."""

import json
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.sector.fields import STAGED_COLUMNS, RowValidator
from monitoring_api.sector.models import row_error, staged_row
from monitoring_api.sector.parsing import Parsed
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
    raw = await connection.get_raw_connection()
    return raw.driver_connection


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
    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.rows: list[tuple[Any, ...]] = []
        self.errors: list[tuple[Any, ...]] = []

    async def flush(self, *, force: bool = False) -> None:
        if self.rows and (force or len(self.rows) >= CHUNK_ROWS):
            await self.driver.copy_records_to_table(
                staged_row.name, records=self.rows, columns=STAGED_COLUMNS, schema_name=SCHEMA
            )
            self.rows = []
        if self.errors and (force or len(self.errors) >= CHUNK_ROWS):
            await self.driver.copy_records_to_table(
                row_error.name, records=self.errors, columns=ERROR_COLUMNS, schema_name=SCHEMA
            )
            self.errors = []


async def stage_part(
    session: AsyncSession,
    batch_id: int,
    part_number: int,
    records: AsyncIterator[list[Parsed]],
    validate: RowValidator,
) -> PartCounts:
    """Validate every record; COPY the good ones into sector_row and the refused ones, with reasons, beside them."""
    copier = _Copier(await raw_connection(session))
    counts = PartCounts()
    async for parsed_chunk in records:
        for parsed in parsed_chunk:
            counts.received += 1
            if parsed.values is None:
                problems = [{"field": "row", "reason": parsed.error or "unreadable"}]
                row = None
            else:
                row, problems = validate(batch_id, part_number, parsed.line, parsed.values)
            if row is not None:
                copier.rows.append(row)
                counts.accepted += 1
            else:
                counts.rejected += 1
                copier.errors.append(
                    (batch_id, part_number, parsed.line, json.dumps(problems, ensure_ascii=False), _echo(parsed.values))
                )
        await copier.flush()
    await copier.flush(force=True)
    return counts


async def drain(records: AsyncIterator[list[Parsed]]) -> None:
    """Read a re-sent part to its end without keeping anything: only its digest is wanted."""
    async for _ in records:
        pass
