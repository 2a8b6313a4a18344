"""A large household import as a worker job: the request stores the file and answers 202; the actor runs the same
import (service.import_households), reporting the rows read as it goes, and leaves the report on the job."""

import io
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from python_calamine import CalamineWorkbook
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from dixian_shared import audit, outbox
from dixian_shared.auth.principal import Principal, Role, in_scope
from dixian_shared.contracts import HOUSEHOLD_IMPORT
from dixian_shared.errors import NotFound, ProblemError
from monitoring_api.imports import reader, service
from monitoring_api.imports.errors import ImportRejected
from monitoring_api.imports.models import HouseholdImport, ImportState
from monitoring_api.imports.schemas import ImportMode

log = logging.getLogger(__name__)
Sessions = Callable[[], Any]  # an async_sessionmaker, or a LazySessionmaker in the worker


def estimate_rows(content: bytes) -> int:
    """Data rows in the file, counted cheaply: line breaks of a CSV, the used range of a workbook's first sheet."""
    if content.startswith(reader.ZIP_MAGIC):
        try:
            reader.check_extent(io.BytesIO(content))  # a workbook too large to lay out: the import itself says so
            book = CalamineWorkbook.from_filelike(io.BytesIO(content))
            return max(book.get_sheet_by_index(0).height - 1, 0) if book.sheet_names else 0
        except Exception:  # an unreadable workbook: the import itself says why, in the request
            return 0
    return max(content.count(b"\n") - 1, 0)


async def start(
    session: AsyncSession,
    principal: Principal,
    content: bytes,
    *,
    filename: str | None,
    mode: ImportMode,
    region_code: str | None,
    rows: int,
) -> HouseholdImport:
    if region_code is not None and not principal.can_access(region_code):
        raise NotFound(entity="region", key=region_code)
    job = HouseholdImport(
        region_code=principal.region_code,
        requested_by=principal.subject,
        requested_role=principal.role.value,
        mode=mode.value,
        region_filter=region_code,
        file_name=filename,
        content=content,
        state=ImportState.queued,
        rows_estimated=rows,
        rows_read=0,
        rows_accepted=0,
        rows_refused=0,
    )
    session.add(job)
    await session.flush()
    summary = {"file": filename, "mode": mode.value, "region_code": region_code, "rows_estimated": rows}
    await audit.record(session, "household_import_job", str(job.id), "insert", summary)
    await outbox.enqueue(session, HOUSEHOLD_IMPORT, import_id=job.id)
    return job


async def require(
    session: AsyncSession, principal: Principal, job_id: int, *, content: bool = False
) -> HouseholdImport:
    stmt = select(HouseholdImport).where(HouseholdImport.id == job_id, in_scope(HouseholdImport.region_code, principal))
    if content:
        stmt = stmt.options(undefer_content())
    job = await session.scalar(stmt)
    if job is None:
        raise NotFound(entity="import job", key=job_id)
    return job


def undefer_content() -> Any:
    return undefer(HouseholdImport.content)


async def _set(sessions: Sessions, job_id: int, **values: Any) -> None:
    async with sessions() as session:
        await session.execute(update(HouseholdImport).where(HouseholdImport.id == job_id).values(**values))
        await session.commit()


async def run(sessions: Sessions, job_id: int) -> ImportState | None:
    """Run a queued import; None when there is nothing to do (done already, or taken by another delivery)."""
    async with sessions() as session:
        job = await session.scalar(
            select(HouseholdImport)
            .where(HouseholdImport.id == job_id)
            .options(undefer_content())
            .with_for_update(skip_locked=True)
        )
        if job is None or job.state != ImportState.queued:
            return None
        job.state, job.started_at = ImportState.running, datetime.now(UTC)
        content, mode, region_filter, filename = job.content, ImportMode(job.mode), job.region_filter, job.file_name
        principal = Principal(
            subject=job.requested_by, role=Role(job.requested_role), region_code=job.region_code, name=job.requested_by
        )
        await session.commit()

    async def progress(read: int) -> None:
        await _set(sessions, job_id, rows_read=read)

    try:
        async with sessions() as session:
            session.info["principal"] = principal
            session.info["actor"] = f"{principal.subject} (household import {job_id})"
            report = await service.import_households(
                session,
                principal,
                io.BytesIO(content),
                filename=filename,
                mode=mode,
                region_code=region_filter,
                progress=progress,
            )
            await session.execute(
                update(HouseholdImport)
                .where(HouseholdImport.id == job_id)
                .values(
                    state=ImportState.done,
                    rows_read=report.rows,
                    rows_accepted=report.rows - report.rejected_rows,
                    rows_refused=report.rejected_rows,
                    report=report.model_dump(mode="json"),
                    finished_at=datetime.now(UTC),
                )
            )
            await session.commit()
            return ImportState.done
    except ProblemError as exc:
        # Refused as the request would have refused it: nothing written; the problem (and report) kept to read.
        kept = exc.report.model_dump(mode="json") if isinstance(exc, ImportRejected) else None
        await _set(
            sessions,
            job_id,
            state=ImportState.refused,
            problem=exc.to_problem(f"/import-jobs/{job_id}").model_dump(mode="json", exclude_none=True),
            report=kept,
            rows_read=kept["rows"] if kept else 0,
            rows_refused=kept["rejected_rows"] if kept else 0,
            finished_at=datetime.now(UTC),
        )
        return ImportState.refused
    except Exception as exc:
        log.exception("household import %s failed", job_id)
        problem = {"title": "导入失败", "detail": f"{type(exc).__name__}"[:200], "status": 500, "code": "internal"}
        await _set(sessions, job_id, state=ImportState.failed, problem=problem, finished_at=datetime.now(UTC))
        raise
