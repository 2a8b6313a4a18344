"""The spreadsheet round trip: the template, an upload checked whole and applied whole or not at all, the report.
Flushes, never commits (the actor commits its own steps)."""

import asyncio
import hashlib
from dataclasses import asdict
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit, outbox
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.contracts import EMPLOYMENT_LEDGER_UPLOAD
from dixian_shared.workdays import WorkdayCalendar
from employment_api.ledger import repository as ledger_repository
from employment_api.ledger.errors import NotAVillage
from employment_api.ledger.service import lateness
from employment_api.rules import RuleSettings
from employment_api.sheets import reader, repository, staging, workbook
from employment_api.sheets.columns import HEADINGS, INDEX
from employment_api.sheets.errors import ClosedWhileQueued, UploadNotFound, WrongHeadings
from employment_api.sheets.models import LedgerUpload, UploadState
from employment_api.sheets.reader import Columns
from employment_api.sheets.rows import RowError, whole_number
from employment_api.sheets.writing import ChunkedWrite
from employment_api.targets.changes import touch

KEPT_ERRORS = 5000  # the report marks at most this many cells; the counts are always complete


async def _check_village(session: AsyncSession, principal: Principal, village: str) -> None:
    if not principal.can_access(village):
        raise UploadNotFound(entity="village", key=village)
    if not await ledger_repository.is_village(session, village):
        raise NotAVillage(field="path.region_code", region_code=village)


async def template(
    session: AsyncSession, principal: Principal, village: str, month: date, rules: RuleSettings
) -> bytes:
    await _check_village(session, principal, village)
    found = await repository.template_rows(session, village, month, rules)
    keys = ("id", "id_number", "name", *repository.JOB_FIELDS)
    return workbook.template(([getattr(row, key) for key in keys] for row in found), len(found))


def read_sheet(data: bytes) -> Columns:
    sheet = reader.read_columns(data)
    if [cell.strip() for cell in sheet.header[: len(HEADINGS)]] != list(HEADINGS):
        raise WrongHeadings(expected="、".join(HEADINGS), found="、".join(sheet.header[: len(HEADINGS)]))
    return sheet


async def start_upload(
    session: AsyncSession,
    principal: Principal,
    village: str,
    month: date,
    *,
    file_name: str | None,
    data: bytes,
    late_reason: str | None,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    today: date,
) -> LedgerUpload:
    """Refuse the whole file early (wrong place, locked month without a reason, not the template); then apply it
    here if small, or queue it for the worker."""
    await _check_village(session, principal, village)
    month_row = await ledger_repository.month_row(session, village, month)
    late = lateness(principal, month_row, rules, calendar, today, late_reason)
    estimate = reader.estimate_rows(data)
    inline = estimate is not None and estimate <= rules.upload_inline_max_rows
    # A small file is read here and refused at once if it is not the template; a large one only by the worker.
    sheet = read_sheet(data) if inline else None
    upload = LedgerUpload(
        region_code=village,
        month=month,
        state=UploadState.queued,
        file_name=file_name,
        file_format=sheet.file_format if sheet else ("xlsx" if data.startswith(reader.ZIP_MAGIC) else "csv"),
        content=data,
        uploaded_by=principal.subject,
        uploaded_role=str(principal.role),
        late=late,
        late_reason=late_reason if late else None,
        rows_read=sheet.rows_read if sheet else estimate or 0,
        errors=[],
    )
    session.add(upload)
    await session.flush()
    received = {
        "region_code": village,
        "month": f"{month:%Y-%m}",
        "file_name": file_name,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": upload.rows_read,
        "late": late,
    }
    await audit.record(session, "ledger_upload", str(upload.id), "insert", received)
    if sheet is not None:
        await apply(session, upload, sheet, rules)
    else:
        await outbox.enqueue(session, EMPLOYMENT_LEDGER_UPLOAD, upload_id=upload.id)
    return upload


async def _lock_month(session: AsyncSession, upload: LedgerUpload) -> None:
    """Lock the village's month (entries written one by one lock it too: the write never meets one half-way) and
    refuse the file if the month was submitted or confirmed after the upload was accepted: a queued file must not
    change a month the village has handed over, nor a confirmed one without the reason a change then needs."""
    month = await ledger_repository.month_row(session, upload.region_code, upload.month, lock=True)
    label = f"{upload.month:%Y-%m}"
    if month.confirmed_at is not None and not upload.late:
        raise ClosedWhileQueued(month=label, state="确认", then="修改须填写原因（late_reason）后重新上传")
    if month.submitted_at is not None and upload.uploaded_role == Role.village:
        raise ClosedWhileQueued(month=label, state="提交", then="提交后由镇修改")


async def apply(session: AsyncSession, upload: LedgerUpload, sheet: Columns, rules: RuleSettings) -> None:
    """Check every row and write them set-based, or none if any row is wrong (a sheet read already)."""
    await _lock_month(session, upload)
    ids = [n for n in map(whole_number, sheet.columns[INDEX["labourer_id"]]) if n is not None]
    facts = await staging.village_facts(session, upload.region_code, upload.month, rules, ids)
    await _write(session, upload, sheet, facts)


async def apply_file(session: AsyncSession, upload: LedgerUpload, rules: RuleSettings) -> None:
    """`apply` for the worker: the file is read in a thread while the village's roster facts are fetched."""
    await _lock_month(session, upload)
    fetching = asyncio.ensure_future(staging.village_facts(session, upload.region_code, upload.month, rules))
    with reader.collector_paused():
        try:
            sheet = await asyncio.to_thread(read_sheet, upload.content)
        finally:
            facts = await fetching
        await _write(session, upload, sheet, facts)


async def _write(session: AsyncSession, upload: LedgerUpload, sheet: Columns, facts: dict[int, staging.Fact]) -> None:
    write = ChunkedWrite(sheet, facts, upload.region_code, upload.month, upload.late, upload.late_reason)
    # New entries are COPYed while later rows are still being checked; a wrong row rolls them back.
    written = await session.begin_nested()
    inserted = await staging.copy_entries(session, write.entries())
    if write.wrong:
        await written.rollback()
        outside = list(write.missing.values())
        errors = write.errors(await staging.known_labourers(session, outside) if outside else set())
    else:
        await written.commit()
        errors = []
    upload.rows_read = sheet.rows_read
    upload.refused = len({error.row for error in errors})
    upload.accepted = upload.rows_read - upload.refused
    upload.errors = [asdict(error) for error in errors[:KEPT_ERRORS]]
    if errors:
        upload.state = UploadState.refused
    else:
        late, reason = upload.late, upload.late_reason
        upload.updated = await staging.update_existing(session, write.existing, upload.month, late, reason)
        upload.inserted = inserted
        await touch(session, [upload.region_code])
        upload.state = UploadState.applied
        changes = {
            "region_code": upload.region_code,
            "month": f"{upload.month:%Y-%m}",
            "rows": upload.rows_read,
            "inserted": upload.inserted,
            "updated": upload.updated,
            "late": upload.late,
        }
        await audit.record(session, "ledger_entry", f"upload:{upload.id}", "upload", changes)
    upload.finished_at = datetime.now(UTC)
    await session.flush()


async def require_upload(session: AsyncSession, principal: Principal, upload_id: int) -> LedgerUpload:
    upload = await repository.upload(session, principal, upload_id)
    if upload is None:
        raise UploadNotFound(entity="ledger upload", key=upload_id)
    return upload


async def error_report(session: AsyncSession, principal: Principal, upload_id: int) -> bytes:
    upload = await repository.upload(session, principal, upload_id, with_content=True)
    if upload is None:
        raise UploadNotFound(entity="ledger upload", key=upload_id)
    sheet = reader.read(upload.content)
    errors = [RowError(**error) for error in upload.errors]
    return workbook.error_report(sheet.header, sheet.rows, errors)
