"""The household import: stream the file into staging, check every row set-based, write all good rows or none.

Events: one household_changed ("imported") per household created, written set-based into the outbox. No
member_changed per member: a subscriber fetches the household with its members, and a 100,000-member load would
otherwise queue 100,000 more messages for the provincial sync.
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import IO

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from dixian_shared import audit, outbox, regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import WARNINGS_RECOMPUTE, Topic
from dixian_shared.errors import NotFound
from monitoring_api.imports import checks, columns, reader, repository, rows, staging
from monitoring_api.imports.errors import EmptyImport, ImportRejected
from monitoring_api.imports.schemas import ImportMode, ImportReport, RowError

BATCH_ROWS = 5_000
MAX_REPORTED_ERRORS = 1_000  # the counts stay exact; the listed errors stop here to keep the response bounded


Progress = Callable[[int], Awaitable[None]]


async def check_file(
    session: AsyncSession,
    principal: Principal,
    upload: IO[bytes],
    *,
    mode: ImportMode,
    region_code: str | None,
    progress: Progress | None = None,
    max_errors: int = MAX_REPORTED_ERRORS,
) -> ImportReport:
    """Stage and check every row, write nothing: the report of what an import of this file would do."""
    restriction = None
    if region_code is not None:
        if not principal.can_access(region_code):
            raise NotFound(entity="region", key=region_code)
        restriction = regioncode.prefix(region_code)

    driver = await staging.create_staging(session)
    read = 0
    with reader.open_table(upload) as table:
        positions = columns.positions(table.header)
        while True:
            # Parsing and row checks run in a worker thread, one batch at a time: the file is never held whole.
            batch = await run_in_threadpool(rows.parse_batch, table.rows, positions, BATCH_ROWS)
            if not batch.records:
                break
            await staging.copy_batch(driver, batch)
            read += len(batch.records)
            if progress is not None:
                await progress(read)
    await staging.analyze(session)

    await checks.check_regions(session, principal, restriction)
    await checks.check_people(session)
    await checks.check_households(session)
    if mode == ImportMode.skip_bad_rows:
        await staging.skip_bad_households(session)
    return await _report(session, mode, table, max_errors)


async def import_households(
    session: AsyncSession,
    principal: Principal,
    upload: IO[bytes],
    *,
    filename: str | None,
    mode: ImportMode,
    region_code: str | None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the file and write all its good rows, or none (strict mode with a bad row); `progress` hears the
    number of rows read after each batch (an import job reports it)."""
    report = await check_file(session, principal, upload, mode=mode, region_code=region_code, progress=progress)
    if report.rows == 0:
        raise EmptyImport()
    if mode == ImportMode.strict and report.rejected_rows:
        raise ImportRejected(report)

    if report.imported_members:
        await repository.insert_households(session)
        await repository.insert_members(session)
        await outbox.publish_changes(
            session, Topic.household_changed, "household", "imported", repository.imported_households()
        )
        # One set-based recompute of the warnings for the importer's region, not one job per household.
        await outbox.enqueue(session, WARNINGS_RECOMPUTE, region_code=region_code or principal.region_code)
    summary = report.model_dump(mode="json", exclude={"errors", "import_id", "errors_truncated"})
    await audit.record(
        session,
        "household_import",
        report.import_id,
        "insert",
        {"file": filename, "region_code": region_code, **summary},
    )
    await staging.drop_staging(session)
    return report


async def _report(session: AsyncSession, mode: ImportMode, table: reader.Table, max_errors: int) -> ImportReport:
    counts = await staging.counts(session)
    errors = await staging.first_errors(session, max_errors)
    accepted = mode == ImportMode.skip_bad_rows or counts["rejected_rows"] == 0
    return ImportReport(
        import_id=uuid.uuid4().hex,
        mode=mode,
        file_format=table.file_format,
        encoding=table.encoding,
        rows=counts["rows"],
        households=counts["households"],
        imported_households=counts["accepted_households"] if accepted else 0,
        imported_members=counts["accepted_members"] if accepted else 0,
        rejected_rows=counts["rejected_rows"],
        skipped_households=counts["rejected_households"] if mode == ImportMode.skip_bad_rows else 0,
        errors=[RowError(row=e.row_no, field=e.field, reason=e.reason) for e in errors],
        errors_truncated=counts["errors"] > len(errors),
    )
