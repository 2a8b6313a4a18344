"""The actor that applies a large ledger upload, with its progress on the job resource."""

import logging
from datetime import UTC, datetime

import dramatiq
from sqlalchemy import select

from dixian_shared.broker import broker
from dixian_shared.contracts import EMPLOYMENT_LEDGER_UPLOAD
from dixian_shared.db import unit_of_work
from dixian_shared.jobs import LazySessionmaker
from employment_api.models import COMMON
from employment_api.settings import EmploymentSettings
from employment_api.sheets import repository, service
from employment_api.sheets.errors import SheetProblem
from employment_api.sheets.models import LedgerUpload, UploadState

log = logging.getLogger(__name__)
sessions = LazySessionmaker(EmploymentSettings, COMMON)


@dramatiq.actor(
    broker=broker,
    actor_name=EMPLOYMENT_LEDGER_UPLOAD.name,
    queue_name=EMPLOYMENT_LEDGER_UPLOAD.queue,
    max_retries=3,
    time_limit=30 * 60 * 1000,
)
async def apply_ledger_upload(upload_id: int) -> None:
    """Idempotent: an upload not in 排队中 (done, or taken by another delivery) is left alone."""
    async with unit_of_work(sessions) as session:
        claimed = await session.scalar(
            select(LedgerUpload).where(LedgerUpload.id == upload_id).with_for_update(skip_locked=True)
        )
        if claimed is None or claimed.state != UploadState.queued:
            return
        claimed.state = UploadState.running  # visible to GET /ledger/uploads/{id} from now on
    try:
        async with unit_of_work(sessions) as session:
            upload = await repository.upload(session, None, upload_id, with_content=True)
            assert upload is not None
            session.info["actor"] = f"{upload.uploaded_by} (ledger upload {upload_id})"
            try:
                await service.apply_file(session, upload, EmploymentSettings().rules)
            except SheetProblem as refused:  # not the template, or not readable: the whole file is refused
                upload.state = UploadState.refused
                upload.errors = [{"row": 1, "column": "labourer_id", "message": refused.detail_in("zh")}]
                upload.finished_at = datetime.now(UTC)
    except Exception as exc:
        log.exception("ledger upload %s failed", upload_id)
        async with unit_of_work(sessions) as session:
            failed = await session.get(LedgerUpload, upload_id)
            if failed is not None:
                failed.state = UploadState.failed
                failed.failure = f"{exc.__class__.__name__}: {exc}"[:500]
                failed.finished_at = datetime.now(UTC)
        raise
