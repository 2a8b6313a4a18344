"""Routes of identification and inclusion: open a case, take its steps, read its history, late cases, the notice."""

import io
from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import Depends, Query, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.errors import NotFound
from dixian_shared.exports import XLSX_RESPONSES, exportable
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from dixian_shared.xlsx import MEDIA_TYPE as XLSX_TYPE
from monitoring_api.deps import Reader, RecordId, Rules, Today
from monitoring_api.inclusion import notice_sheet, repository, service, workflow
from monitoring_api.inclusion.enums import CaseStatus
from monitoring_api.inclusion.errors import NothingOnNotice
from monitoring_api.inclusion.export import notice_csv, public_notice
from monitoring_api.inclusion.lateness import decision_due
from monitoring_api.inclusion.models import InclusionCase
from monitoring_api.inclusion.schemas import CaseCreate, CaseDetail, CaseRead, PublicNotice, StepCreate, StepRead
from monitoring_api.rules import RuleSettings

router = make_router(tags=["inclusion"])

RegionFilter = Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")]


def _read(case: InclusionCase, rules: RuleSettings, today: date) -> CaseRead:
    end = case.decided_on or today
    return CaseRead.model_validate(case).model_copy(
        update={
            "decision_due_on": decision_due(case.clue_date, rules),
            "days_taken": (end - case.clue_date).days,
        }
    )


def _detail(case: InclusionCase, rules: RuleSettings, today: date) -> CaseDetail:
    return CaseDetail(**_read(case, rules, today).model_dump(), steps=[StepRead.model_validate(s) for s in case.steps])


@router.post(
    "/inclusion-cases",
    response_model=CaseDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Open an inclusion case from a clue",
)
async def open_case(
    session: DbSession, response: Response, principal: Reader, today: Today, rules: Rules, body: CaseCreate
) -> CaseDetail:
    case = await service.open_case(session, principal, body, today)
    case = await service.require_case(session, principal, case.id, with_steps=True)
    response.headers["Location"] = f"/inclusion-cases/{case.id}"
    set_etag(response, case.version)
    return _detail(case, rules, today)


@router.get(
    "/inclusion-cases",
    responses=XLSX_RESPONSES,
    response_model=Page[CaseRead],
    summary="Inclusion cases in the caller's region",
)
@exportable("识别纳入")
async def list_cases(
    session: DbSession,
    principal: Reader,
    today: Today,
    rules: Rules,
    params: Annotated[PageParams, Depends(page_params)],
    region_code: RegionFilter = None,
    household_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    status: CaseStatus | None = None,
) -> Page[CaseRead]:
    rows = await service.list_cases(
        session, principal, params, region_code=region_code, household_id=household_id, status=status
    )
    items, cursor = make_page(rows, params, lambda c: [c.id])
    return Page(items=[_read(c, rules, today) for c in items], next_cursor=cursor)


@router.get(
    "/inclusion-cases/late",
    responses=XLSX_RESPONSES,
    response_model=Page[CaseRead],
    summary="Open cases past clue_to_decision_max_days, and decided cases that took longer",
)
@exportable("识别纳入超期")
async def list_late(
    session: DbSession,
    principal: Reader,
    today: Today,
    rules: Rules,
    params: Annotated[PageParams, Depends(page_params)],
    region_code: RegionFilter = None,
    case_status: Annotated[
        CaseStatus | None, Query(alias="status", description="办理中: the overdue, undecided")
    ] = None,
) -> Page[CaseRead]:
    rows = await service.list_late(
        session, principal, params, today=today, rules=rules, region_code=region_code, status=case_status
    )
    items, cursor = make_page(rows, params, lambda c: [c.id])
    return Page(items=[_read(c, rules, today) for c in items], next_cursor=cursor)


@router.get("/inclusion-cases/{case_id}", response_model=CaseDetail, summary="A case with its full history")
async def get_case(
    session: DbSession, response: Response, principal: Reader, today: Today, rules: Rules, case_id: RecordId
) -> CaseDetail:
    case = await service.require_case(session, principal, case_id, with_steps=True)
    set_etag(response, case.version)
    return _detail(case, rules, today)


@router.post(
    "/inclusion-cases/{case_id}/steps",
    response_model=CaseDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Take the case's next step (village: 入户核实, 民主评议/公示; town: 乡镇审核; district: 区级审定)",
)
async def take_step(
    session: DbSession,
    response: Response,
    principal: Reader,
    today: Today,
    rules: Rules,
    case_id: RecordId,
    body: StepCreate,
    if_match: IfMatch = None,
) -> CaseDetail:
    await workflow.take_step(session, principal, case_id, body, if_match=if_match, today=today, rules=rules)
    case = await service.require_case(session, principal, case_id, with_steps=True)
    set_etag(response, case.version)
    return _detail(case, rules, today)


@router.get(
    "/inclusion-cases/{case_id}/notice",
    response_model=PublicNotice,
    summary="The public notice (公示) of a case: JSON, CSV with Chinese headings (?format=csv) or a printable "
    "workbook in the layout villages post (?format=xlsx)",
    responses={200: {"content": {"text/csv": {}, XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def get_notice(
    session: DbSession,
    principal: Reader,
    case_id: RecordId,
    today: Today,
    output: Annotated[Literal["json", "csv", "xlsx"], Query(alias="format", description="json, csv or xlsx")] = "json",
) -> PublicNotice | Response:
    notice = public_notice(await service.notice_of(session, principal, case_id))
    if output == "xlsx":
        workbook = io.BytesIO()
        notice_sheet.write(workbook, [notice], notice.village_name or notice.village_code, today)
        disposition = f"attachment; filename=\"notice-{case_id}.xlsx\"; filename*=UTF-8''{quote('公示')}-{case_id}.xlsx"
        return Response(workbook.getvalue(), media_type=XLSX_TYPE, headers={"Content-Disposition": disposition})
    if output == "csv":
        return Response(
            notice_csv(notice),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="notice-{case_id}.csv"'},
        )
    return notice


@router.get(
    "/inclusion-notices",
    response_model=list[PublicNotice],
    summary="A village's notice board on a day: every case whose public notice (公示) is up, as JSON or as one "
    "printable workbook (?format=xlsx) in the layout villages post",
    responses={200: {"content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def notice_board(
    session: DbSession,
    principal: Reader,
    today: Today,
    region_code: Annotated[str, Query(pattern=r"^[0-9]{12}$", description="the village")],
    on: Annotated[date | None, Query(description="the day the notices are up; today if omitted")] = None,
    output: Annotated[Literal["json", "xlsx"], Query(alias="format", description="json or xlsx")] = "json",
) -> list[PublicNotice] | Response:
    day = on or today
    if not principal.can_access(region_code) or await repository.region_name(session, region_code) is None:
        raise NotFound(entity="region", key=region_code)
    ids = await repository.cases_on_notice(session, principal, region_code, day)
    notices = [public_notice(await service.notice_of(session, principal, case_id)) for case_id in ids]
    if output == "json":
        return notices
    if not notices:
        raise NothingOnNotice(region_code=region_code, on=day)
    workbook = io.BytesIO()
    notice_sheet.write(workbook, notices, notices[0].village_name or region_code, today)
    disposition = f'attachment; filename="notices-{region_code}-{day}.xlsx"'
    return Response(workbook.getvalue(), media_type=XLSX_TYPE, headers={"Content-Disposition": disposition})
