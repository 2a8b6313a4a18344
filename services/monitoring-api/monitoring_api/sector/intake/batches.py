"""Business rules of department batches: open once per department id, receive parts idempotently, close once."""

import hashlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit, outbox
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.contracts import CROSSCHECK_BATCH
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from monitoring_api.sector import repository
from monitoring_api.sector.enums import CHECKS, BatchState, DataType, JobState
from monitoring_api.sector.errors import (
    BatchClosed,
    BatchIdReused,
    EmptyBatch,
    PartConflict,
    PersonKeyNotAllowed,
)
from monitoring_api.sector.intake import parsing, staging
from monitoring_api.sector.intake.validation import validator_for
from monitoring_api.sector.models import Batch, BatchPart, CrosscheckJob
from monitoring_api.sector.schemas import BatchOpen


@dataclass
class Fingerprint:
    """SHA-256 and size of a part's decompressed content: a resent part is the same part if these match."""

    size: int = 0

    def __post_init__(self) -> None:
        self.sha = hashlib.sha256()

    def update(self, data: bytes, /) -> None:
        self.size += len(data)
        self.sha.update(data)


def check_department_caller(principal: Principal) -> None:
    """A person with the department role has no data-type scopes: departments act through their API keys."""
    if principal.role == Role.department and principal.kind != "api_key":
        raise PersonKeyNotAllowed()


async def require_batch(
    session: AsyncSession, principal: Principal, batch_id: int, *, lock: str | None = None
) -> Batch:
    check_department_caller(principal)
    batch = await repository.get_batch(session, principal, batch_id, lock=lock)
    if batch is None:
        raise NotFound(entity="batch", key=batch_id)
    return batch


async def open_batch(session: AsyncSession, principal: Principal, data: BatchOpen) -> tuple[Batch, bool]:
    """(batch, created): the same department batch id again is the same batch, unless it names another batch."""
    check_department_caller(principal)
    department = data.data_type.department
    inserted = await session.scalar(
        insert(Batch)
        .values(
            department=department,
            data_type=data.data_type,
            period=data.period,
            department_batch_id=data.department_batch_id,
            region_code=principal.region_code,
            state=BatchState.receiving,
            opened_by=principal.subject,
            rows_received=0,
            rows_accepted=0,
            rows_rejected=0,
        )
        .on_conflict_do_nothing(index_elements=[Batch.department, Batch.department_batch_id])
        .returning(Batch.id)
    )
    batch = await repository.find_batch(session, department, data.department_batch_id)
    assert batch is not None  # inserted now, or by the request that won the race (we waited for its commit)
    if inserted is not None:
        await audit.record(session, "sector_batch", str(batch.id), "insert", data.model_dump(mode="json"))
        return batch, True
    if batch.data_type != data.data_type or batch.period != data.period:
        raise BatchIdReused(
            department_batch_id=data.department_batch_id,
            department=department,
            batch_id=batch.id,
            data_type=batch.data_type,
            period=batch.period,
        )
    return batch, False


async def upload_part(
    session: AsyncSession,
    principal: Principal,
    batch_id: int,
    part_number: int,
    fmt: parsing.UploadFormat,
    chunks: AsyncIterator[bytes],
    today: date,
) -> tuple[BatchPart, bool]:
    """(part, created). Streams the body into staging; a resent part is read only to compare its fingerprint."""
    batch = await require_batch(session, principal, batch_id, lock="share")
    validate = validator_for(DataType(batch.data_type), today)
    fingerprint = Fingerprint()
    records = parsing.parse(chunks, fmt, validate.required, fingerprint)
    claimed = batch.state == BatchState.receiving and await repository.claim_part(
        session,
        {
            "batch_id": batch_id,
            "part_number": part_number,
            "format": fmt.format,
            "encoding": fmt.charset,
            "received_by": principal.subject,
        },
    )
    if claimed:
        counts = await staging.stage_part(session, batch_id, part_number, records, validate)
        values = {
            "sha256": fingerprint.sha.hexdigest(),
            "bytes": fingerprint.size,
            "rows_received": counts.received,
            "rows_accepted": counts.accepted,
            "rows_rejected": counts.rejected,
        }
        await repository.finish_part(session, batch_id, part_number, values)
        await audit.record(session, "sector_batch_part", f"{batch_id}/{part_number}", "insert", values)
        part = await repository.get_part(session, batch_id, part_number)
        assert part is not None
        return part, True
    part = await repository.get_part(session, batch_id, part_number)
    if part is None:
        raise BatchClosed(batch_id=batch_id)
    await staging.drain(records)
    if part.sha256 != fingerprint.sha.hexdigest():
        raise PartConflict(part_number=part_number, batch_id=batch_id)
    return part, False


async def close_batch(
    session: AsyncSession, principal: Principal, batch_id: int, today: date
) -> tuple[CrosscheckJob, bool]:
    """(job, created): closing freezes the batch and queues its comparison; closing again returns the same job."""
    batch = await require_batch(session, principal, batch_id, lock="update")
    if batch.state == BatchState.closed:
        job = await repository.job_for_batch(session, batch_id)
        assert job is not None
        return job, False
    received, accepted, rejected = (await repository.part_totals(session, [batch_id])).get(batch_id, (0, 0, 0))
    if accepted == 0:
        raise EmptyBatch(batch_id=batch_id, rule="batch_not_empty")
    batch.state = BatchState.closed
    batch.closed_at = datetime.now(UTC)
    batch.closed_by = principal.subject
    batch.as_of = today
    batch.rows_received, batch.rows_accepted, batch.rows_rejected = received, accepted, rejected
    job = CrosscheckJob(
        batch_id=batch_id,
        state=JobState.queued,
        rows_loaded=accepted,
        rows_compared=0,
        rules_total=len(CHECKS[DataType(batch.data_type)]),
        rules_done=0,
        discrepancies_found=0,
        discrepancies_new=0,
        discrepancies_resolved=0,
        attempts=0,
    )
    session.add(job)
    await session.flush()
    await outbox.enqueue(session, CROSSCHECK_BATCH, batch_id=batch_id)
    return job, True


async def list_batches(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    data_type: DataType | None = None,
    state: BatchState | None = None,
) -> Sequence[Batch]:
    check_department_caller(principal)
    return await repository.list_batches(session, principal, params, data_type=data_type, state=state)


async def totals(session: AsyncSession, batches: Sequence[Batch]) -> dict[int, tuple[int, int, int]]:
    """Row counts: fixed on the batch once closed, summed over the parts while it is still receiving."""
    found = {b.id: (b.rows_received, b.rows_accepted, b.rows_rejected) for b in batches}
    receiving = [b.id for b in batches if b.state == BatchState.receiving]
    if receiving:
        found.update(await repository.part_totals(session, receiving))
    return found


async def parts_and_job(session: AsyncSession, batch_id: int) -> tuple[Sequence[BatchPart], CrosscheckJob | None]:
    return await repository.parts(session, batch_id), await repository.job_for_batch(session, batch_id)


async def require_job(session: AsyncSession, principal: Principal, job_id: int) -> CrosscheckJob:
    check_department_caller(principal)
    job = await repository.get_job(session, principal, job_id)
    if job is None:
        raise NotFound(entity="crosscheck job", key=job_id)
    return job


async def row_errors(
    session: AsyncSession, principal: Principal, batch_id: int, params: PageParams
) -> Sequence[Row[*tuple[Any, ...]]]:
    await require_batch(session, principal, batch_id)
    return await repository.list_row_errors(session, batch_id, params)
