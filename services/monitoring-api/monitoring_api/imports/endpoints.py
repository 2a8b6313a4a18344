"""Routes of the household import and its template."""

from typing import Annotated

from fastapi import Depends, File, Form, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.routing import UPLOAD_MAX_BODY_BYTES, DbSession, make_router
from dixian_shared.xlsx import MEDIA_TYPE as XLSX
from monitoring_api.deps import Reader
from monitoring_api.imports import service, template
from monitoring_api.imports.columns import HEADERS
from monitoring_api.imports.schemas import ImportMode, ImportReport

router = make_router(tags=["imports"])

Importer = Annotated[Principal, Depends(require_roles(Role.district, Role.town, Role.village))]
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


@router.post(
    "/imports/households",
    response_model=ImportReport,
    max_body_size=UPLOAD_MAX_BODY_BYTES,
    summary="Load households and members from the national system's export (CSV or XLSX, one row per member)",
)
async def import_households(
    session: DbSession,
    principal: Importer,
    file: Annotated[UploadFile, File(description="CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX; first sheet")],
    mode: Annotated[ImportMode, Form(description="strict: any bad row refuses the file")] = ImportMode.strict,
    region_code: Annotated[
        str | None, Form(pattern=r"^\d{12}$", description="accept only rows under this region")
    ] = None,
) -> ImportReport:
    return await service.import_households(
        session, principal, file.file, filename=file.filename, mode=mode, region_code=region_code
    )


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
