"""Routes of department batches and their cross-check jobs."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Path, Query, Request, Response, status

from dixian_shared.auth.deps import require_roles, require_scope
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import UPLOAD_MAX_BODY_BYTES, DbSession, make_router
from monitoring_api.deps import Today
from monitoring_api.sector.enums import BatchState, DataType
from monitoring_api.sector.intake import batches, charset, parsing
from monitoring_api.sector.models import Batch
from monitoring_api.sector.schemas import BatchDetail, BatchOpen, BatchRead, JobRead, PartRead, RowError

router = make_router(tags=["sector batches"])

Id = Annotated[int, Path(ge=1, le=2**62)]
PartNumber = Annotated[int, Path(ge=1, le=100_000, description="1, 2, …; the same number again is the same part")]
# Departments push with their API keys (scoped to data types); the district office may push on their behalf.
Pusher = Annotated[Principal, Depends(require_roles(Role.department, Role.district, keys=True))]

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "CSV with a header row (UTF-8 or GB18030, detected when no charset is sent) or JSON lines; "
        "gzip via "
        "Content-Encoding: gzip or a filename ending in .gz. Streamed: parts of any size are accepted.",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


async def _reads(session: DbSession, rows: Sequence[Batch]) -> list[BatchRead]:
    totals = await batches.totals(session, rows)
    return [
        BatchRead.model_validate(batch).model_copy(
            update=dict(zip(("rows_received", "rows_accepted", "rows_rejected"), totals[batch.id], strict=True))
        )
        for batch in rows
    ]


async def _detail(session: DbSession, batch: Batch) -> BatchDetail:
    (read,) = await _reads(session, [batch])
    parts, job = await batches.parts_and_job(session, batch.id)
    return BatchDetail(
        **read.model_dump(),
        parts=[PartRead.model_validate(p) for p in parts],
        job=JobRead.model_validate(job) if job is not None else None,
    )


@router.post(
    "/batches",
    response_model=BatchDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Open a batch (the same department batch id again returns the same batch, 200)",
    responses={200: {"model": BatchDetail, "description": "the batch opened earlier under this id"}},
)
async def open_batch(session: DbSession, response: Response, principal: Pusher, body: BatchOpen) -> BatchDetail:
    await require_scope(body.data_type)(principal)
    batch, created = await batches.open_batch(session, principal, body)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/batches/{batch.id}"
    return await _detail(session, batch)


@router.get("/batches", response_model=Page[BatchRead], summary="Batch history (a department sees its own types)")
async def list_batches(
    session: DbSession,
    principal: Pusher,
    params: Annotated[PageParams, Depends(page_params)],
    data_type: DataType | None = None,
    state: BatchState | None = None,
) -> Page[BatchRead]:
    rows = await batches.list_batches(session, principal, params, data_type=data_type, state=state)
    items, cursor = make_page(rows, params, lambda b: [b.id])
    return Page(items=await _reads(session, items), next_cursor=cursor)


@router.get("/batches/{batch_id}", response_model=BatchDetail, summary="A batch with its parts and its job")
async def get_batch(session: DbSession, principal: Pusher, batch_id: Id) -> BatchDetail:
    return await _detail(session, await batches.require_batch(session, principal, batch_id))


@router.put(
    "/batches/{batch_id}/parts/{part_number}",
    response_model=PartRead,
    status_code=status.HTTP_201_CREATED,
    max_body_size=UPLOAD_MAX_BODY_BYTES,
    summary="Upload a part (resending the same content is a no-op, 200; other content under the number is 409)",
    openapi_extra=UPLOAD_BODY,
    responses={200: {"model": PartRead, "description": "the same part, received earlier; nothing changed"}},
)
async def upload_part(
    session: DbSession,
    request: Request,
    response: Response,
    principal: Pusher,
    today: Today,
    batch_id: Id,
    part_number: PartNumber,
    filename: Annotated[
        str | None, Query(max_length=200, description="the file's name, if the format is only known from it")
    ] = None,
) -> PartRead:
    fmt = parsing.negotiate(request.headers.get("content-type"), request.headers.get("content-encoding"), filename)
    fmt, chunks = await charset.detect(fmt, request.stream())
    part, created = await batches.upload_part(session, principal, batch_id, part_number, fmt, chunks, today)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/batches/{batch_id}/parts/{part_number}"
    return PartRead.model_validate(part)


@router.post(
    "/batches/{batch_id}/close",
    response_model=JobRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Close the batch and queue its cross-check (closing again returns the same job, 200)",
    responses={200: {"model": JobRead, "description": "the batch was already closed: its job"}},
)
async def close_batch(session: DbSession, response: Response, principal: Pusher, today: Today, batch_id: Id) -> JobRead:
    job, created = await batches.close_batch(session, principal, batch_id, today)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/crosscheck-jobs/{job.id}"
    return JobRead.model_validate(job)


@router.get(
    "/batches/{batch_id}/errors",
    response_model=Page[RowError],
    summary="The rows refused, line by line, with the reasons",
)
async def list_row_errors(
    session: DbSession, principal: Pusher, batch_id: Id, params: Annotated[PageParams, Depends(page_params)]
) -> Page[RowError]:
    rows = await batches.row_errors(session, principal, batch_id, params)
    items, cursor = make_page(rows, params, lambda e: [e.part_number, e.line_number])
    return Page(items=[RowError.model_validate(e, from_attributes=True) for e in items], next_cursor=cursor)


@router.get("/crosscheck-jobs/{job_id}", response_model=JobRead, summary="A cross-check job: state and progress")
async def get_job(session: DbSession, principal: Pusher, job_id: Id) -> JobRead:
    return JobRead.model_validate(await batches.require_job(session, principal, job_id))
