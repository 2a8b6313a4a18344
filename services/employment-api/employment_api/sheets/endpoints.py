"""Routes of the ledger spreadsheet: template download, upload (whole or nothing), job progress, error report."""

from typing import Annotated
from urllib.parse import quote

from fastapi import File, Form, Path, Response, UploadFile, status

from dixian_shared.errors import InvalidField
from dixian_shared.routing import DbSession, make_router
from employment_api.deps import Calendar, RecordId, Rules, Staff, Today
from employment_api.months import Month
from employment_api.sheets import service
from employment_api.sheets.models import LedgerUpload, UploadState
from employment_api.sheets.schemas import UploadRead

router = make_router(tags=["ledger spreadsheet"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 64 * 1024 * 1024
VillageCode = Annotated[str, Path(pattern=r"^\d{12}$", description="the village")]


def _attachment(content: bytes, name: str) -> Response:
    disposition = f"attachment; filename=ledger.xlsx; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})


def _read(upload: LedgerUpload) -> UploadRead:
    read = UploadRead.model_validate(upload)
    if upload.state == UploadState.refused:
        read.error_report = f"/ledger/uploads/{upload.id}/errors.xlsx"
    return read


@router.get(
    "/ledger/{month}/villages/{region_code}/template.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
    summary="The village's month as a workbook: Chinese headings, drop-down lists, filled from last month",
)
async def template(
    session: DbSession, principal: Staff, rules: Rules, month: Month, region_code: VillageCode
) -> Response:
    content = await service.template(session, principal, region_code, month, rules)
    return _attachment(content, f"就业台账_{region_code}_{month:%Y-%m}.xlsx")


@router.post(
    "/ledger/{month}/villages/{region_code}/upload",
    response_model=UploadRead,
    status_code=status.HTTP_201_CREATED,
    responses={202: {"model": UploadRead, "description": "queued for the worker; follow Location"}},
    max_body_size=MAX_BYTES + (1 << 20),  # the file and its multipart framing; checked again below
    summary="Upload the filled workbook (XLSX, or CSV in UTF-8 or GB18030): applied whole or not at all",
)
async def upload(
    session: DbSession,
    response: Response,
    principal: Staff,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    month: Month,
    region_code: VillageCode,
    file: Annotated[UploadFile, File(description="the filled template")],
    late_reason: Annotated[str | None, Form(min_length=2, max_length=500)] = None,
) -> UploadRead:
    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        mebibytes = MAX_BYTES // (1024 * 1024)
        raise InvalidField(
            "file",
            f"larger than {mebibytes} MiB: split the village's sheet",
            f"文件超过 {mebibytes} MiB，请把本村的表拆开上传",
        )
    created = await service.start_upload(
        session,
        principal,
        region_code,
        month,
        file_name=(file.filename or "")[:200] or None,
        data=data,
        late_reason=late_reason,
        rules=rules,
        calendar=calendar,
        today=today,
    )
    response.headers["Location"] = f"/ledger/uploads/{created.id}"
    if created.state == UploadState.queued:
        response.status_code = status.HTTP_202_ACCEPTED
    return _read(created)


@router.get("/ledger/uploads/{upload_id}", response_model=UploadRead, summary="An upload: state, rows, errors")
async def get_upload(session: DbSession, principal: Staff, upload_id: RecordId) -> UploadRead:
    return _read(await service.require_upload(session, principal, upload_id))


@router.get(
    "/ledger/uploads/{upload_id}/errors.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
    summary="The uploaded sheet with each bad cell filled and commented",
)
async def error_report(session: DbSession, principal: Staff, upload_id: RecordId) -> Response:
    content = await service.error_report(session, principal, upload_id)
    return _attachment(content, f"就业台账_错误_{upload_id}.xlsx")
