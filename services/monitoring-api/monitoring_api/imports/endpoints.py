"""Routes of the household import and its template."""

import io
from typing import Annotated

from fastapi import Depends, File, Form, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.routing import UPLOAD_MAX_BODY_BYTES, DbSession, make_router
from dixian_shared.xlsx import MEDIA_TYPE as XLSX
from monitoring_api.deps import Reader, RecordId
from monitoring_api.imports import error_book, jobs, service, template
from monitoring_api.imports.columns import HEADERS
from monitoring_api.imports.schemas import ImportJobRead, ImportMode, ImportReport, RowError

router = make_router(tags=["imports"])

Importer = Annotated[Principal, Depends(require_roles(Role.district, Role.town, Role.village))]
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
MARKED_ERRORS = 50_000  # the check marks this many cells at most; X-Rejected-Rows is always the full count


@router.post(
    "/imports/households",
    response_model=ImportReport,
    max_body_size=UPLOAD_MAX_BODY_BYTES,
    responses={202: {"model": ImportJobRead, "description": "a large file: queued as a job, see Location"}},
    summary="Load households and members from the national system's export (CSV or XLSX, one row per member); "
    "a file above imports.job_rows rows runs as a worker job (202 + Location of the job)",
)
async def import_households(
    session: DbSession,
    request: Request,
    principal: Importer,
    file: Annotated[UploadFile, File(description="CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX; first sheet")],
    mode: Annotated[ImportMode, Form(description="strict: any bad row refuses the file")] = ImportMode.strict,
    region_code: Annotated[
        str | None, Form(pattern=r"^\d{12}$", description="accept only rows under this region")
    ] = None,
) -> ImportReport | JSONResponse:
    content = await run_in_threadpool(file.file.read)
    rows = await run_in_threadpool(jobs.estimate_rows, content)
    if rows > request.app.state.ctx.settings.imports.job_rows:
        job = await jobs.start(
            session, principal, content, filename=file.filename, mode=mode, region_code=region_code, rows=rows
        )
        body = ImportJobRead.model_validate(job, from_attributes=True).model_dump(mode="json")
        return JSONResponse(body, status.HTTP_202_ACCEPTED, headers={"Location": f"/import-jobs/{job.id}"})
    return await service.import_households(
        session, principal, io.BytesIO(content), filename=file.filename, mode=mode, region_code=region_code
    )


@router.post(
    "/imports/households/check",
    response_class=Response,
    max_body_size=UPLOAD_MAX_BODY_BYTES,
    responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
    summary="Check a file without importing it: the file comes back as a workbook, every bad cell marked and "
    "commented, with a 错误清单 sheet (X-Rejected-Rows counts the rows an import would refuse)",
)
async def check_households(
    session: DbSession,
    principal: Importer,
    file: Annotated[UploadFile, File(description="the file you would import")],
    mode: Annotated[ImportMode, Form()] = ImportMode.strict,
    region_code: Annotated[str | None, Form(pattern=r"^\d{12}$")] = None,
) -> Response:
    content = await run_in_threadpool(file.file.read)
    report = await service.check_file(
        session, principal, io.BytesIO(content), mode=mode, region_code=region_code, max_errors=MARKED_ERRORS
    )
    body = await run_in_threadpool(error_book.marked, content, report.errors)
    headers = {
        "Content-Disposition": 'attachment; filename="import-check.xlsx"',
        "X-Rejected-Rows": str(report.rejected_rows),
    }
    return Response(body, media_type=XLSX, headers=headers)


@router.get("/import-jobs/{job_id}", response_model=ImportJobRead, summary="A household import job: state, progress")
async def get_import_job(session: DbSession, principal: Importer, job_id: RecordId) -> ImportJobRead:
    return ImportJobRead.model_validate(await jobs.require(session, principal, job_id), from_attributes=True)


@router.get(
    "/import-jobs/{job_id}/errors.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
    summary="The job's file back as a workbook with every reported bad cell marked and commented",
)
async def import_job_errors(session: DbSession, principal: Importer, job_id: RecordId) -> Response:
    job = await jobs.require(session, principal, job_id, content=True)
    errors = [RowError.model_validate(e) for e in (job.report or {}).get("errors", [])]
    body = await run_in_threadpool(error_book.marked, job.content, errors)
    headers = {"Content-Disposition": f'attachment; filename="import-{job_id}-errors.xlsx"'}
    return Response(body, media_type=XLSX, headers=headers)


@router.get(
    "/imports/template.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "the header row"}},
    summary="An empty import file: the header row the import reads",
)
async def import_template(_principal: Reader) -> Response:
    # With a BOM, so that Excel opens the Chinese column names as UTF-8.
    body = "\ufeff" + ",".join(HEADERS) + "\r\n"
    headers = {"Content-Disposition": 'attachment; filename="household-import-template.csv"'}
    return Response(body.encode(), media_type=CSV_MEDIA_TYPE, headers=headers)


@router.get(
    "/imports/template.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
    summary="The XLSX import template: drop-down lists for coded columns, a notes sheet explaining each column",
)
async def import_template_xlsx(_principal: Reader) -> Response:
    body = await run_in_threadpool(template.build)
    headers = {"Content-Disposition": 'attachment; filename="household-import-template.xlsx"'}
    return Response(body, media_type=XLSX, headers=headers)
