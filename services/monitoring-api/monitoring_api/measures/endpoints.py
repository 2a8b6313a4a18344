"""Routes of assistance measures, the flagged-household list and look-backs (回头看)."""

from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.exports import XLSX_RESPONSES, exportable
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from monitoring_api.deps import Reader, RecordId, Rules, Today, Writer
from monitoring_api.measures import service
from monitoring_api.measures.enums import MeasureCategory, MeasureFamily, MeasureStatus
from monitoring_api.measures.schemas import (
    FlaggedHousehold,
    LookbackCreate,
    LookbackRead,
    LookbackRecord,
    MeasureCreate,
    MeasureRead,
    MeasureUpdate,
)

router = make_router(tags=["measures"])

Paging = Annotated[PageParams, Depends(page_params)]
RegionFilter = Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")]


@router.post(
    "/households/{household_id}/measures",
    response_model=MeasureRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add an assistance measure (帮扶措施) to a household",
)
async def create_measure(
    session: DbSession, response: Response, principal: Writer, household_id: RecordId, body: MeasureCreate
) -> MeasureRead:
    measure = await service.create_measure(session, principal, household_id, body)
    response.headers["Location"] = f"/measures/{measure.id}"
    set_etag(response, measure.version)
    return MeasureRead.model_validate(measure)


@router.get("/households/{household_id}/measures", response_model=Page[MeasureRead], summary="A household's measures")
async def list_household_measures(
    session: DbSession, principal: Reader, household_id: RecordId, params: Paging
) -> Page[MeasureRead]:
    rows = await service.list_household_measures(session, principal, household_id, params)
    items, cursor = make_page(rows, params, lambda m: [m.id])
    return Page(items=[MeasureRead.model_validate(m) for m in items], next_cursor=cursor)


@router.get(
    "/measures/flags",
    responses=XLSX_RESPONSES,
    response_model=Page[FlaggedHousehold],
    summary="Labour-capable subjects without a development measure in time, or with only 综合保障",
)
@exportable("帮扶措施问题")
async def flagged_households(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    today: Today,
    params: Paging,
    region_code: RegionFilter = None,
) -> Page[FlaggedHousehold]:
    rows = await service.flagged_households(
        session,
        principal,
        params,
        today=today,
        within_months=rules.development_measure_within_months,
        region_code=region_code,
    )
    items, cursor = make_page(rows, params, lambda r: [r.household_id])
    return Page(items=[service.flag_of(r) for r in items], next_cursor=cursor)


@router.get(
    "/measures", responses=XLSX_RESPONSES, response_model=Page[MeasureRead], summary="Measures in the caller's region"
)
@exportable("帮扶措施")
async def list_measures(
    session: DbSession,
    principal: Reader,
    params: Paging,
    region_code: RegionFilter = None,
    category: MeasureCategory | None = None,
    family: MeasureFamily | None = None,
    measure_status: Annotated[MeasureStatus | None, Query(alias="status")] = None,
    household_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Page[MeasureRead]:
    rows = await service.list_measures(
        session,
        principal,
        params,
        region_code=region_code,
        category=category,
        family=family,
        status=measure_status,
        household_id=household_id,
    )
    items, cursor = make_page(rows, params, lambda m: [m.id])
    return Page(items=[MeasureRead.model_validate(m) for m in items], next_cursor=cursor)


@router.get("/measures/{measure_id}", response_model=MeasureRead, summary="A measure")
async def get_measure(session: DbSession, response: Response, principal: Reader, measure_id: RecordId) -> MeasureRead:
    measure = await service.require_measure(session, principal, measure_id)
    set_etag(response, measure.version)
    return MeasureRead.model_validate(measure)


@router.patch("/measures/{measure_id}", response_model=MeasureRead, summary="Change a measure (If-Match)")
async def update_measure(
    session: DbSession,
    response: Response,
    principal: Writer,
    measure_id: RecordId,
    body: MeasureUpdate,
    if_match: IfMatch = None,
) -> MeasureRead:
    measure = await service.update_measure(session, principal, measure_id, if_match, body)
    set_etag(response, measure.version)
    return MeasureRead.model_validate(measure)


@router.post(
    "/households/{household_id}/lookbacks",
    response_model=LookbackRead,
    status_code=status.HTTP_201_CREATED,
    summary="Schedule a look-back (回头看) on a household's measures",
)
async def schedule_lookback(
    session: DbSession,
    response: Response,
    principal: Writer,
    today: Today,
    household_id: RecordId,
    body: LookbackCreate,
) -> LookbackRead:
    lookback = await service.schedule_lookback(session, principal, household_id, body, today)
    response.headers["Location"] = f"/lookbacks/{lookback.id}"
    set_etag(response, lookback.version)
    return LookbackRead.model_validate(lookback)


@router.get(
    "/households/{household_id}/lookbacks", response_model=Page[LookbackRead], summary="A household's look-backs"
)
async def list_household_lookbacks(
    session: DbSession, principal: Reader, household_id: RecordId, params: Paging
) -> Page[LookbackRead]:
    rows = await service.list_household_lookbacks(session, principal, household_id, params)
    items, cursor = make_page(rows, params, lambda lb: [lb.id])
    return Page(items=[LookbackRead.model_validate(lb) for lb in items], next_cursor=cursor)


@router.get(
    "/lookbacks/overdue",
    responses=XLSX_RESPONSES,
    response_model=Page[LookbackRead],
    summary="Look-backs not recorded and due before today, oldest first",
)
@exportable("回头看逾期")
async def overdue_lookbacks(
    session: DbSession, principal: Reader, today: Today, params: Paging, region_code: RegionFilter = None
) -> Page[LookbackRead]:
    rows = await service.list_lookbacks(session, principal, params, overdue_on=today, region_code=region_code)
    items, cursor = make_page(rows, params, lambda lb: [lb.due_on, lb.id])
    return Page(items=[LookbackRead.model_validate(lb) for lb in items], next_cursor=cursor)


@router.get("/lookbacks/{lookback_id}", response_model=LookbackRead, summary="A look-back")
async def get_lookback(
    session: DbSession, response: Response, principal: Reader, lookback_id: RecordId
) -> LookbackRead:
    lookback = await service.require_lookback(session, principal, lookback_id)
    set_etag(response, lookback.version)
    return LookbackRead.model_validate(lookback)


@router.post("/lookbacks/{lookback_id}/record", response_model=LookbackRead, summary="Record a look-back as done")
async def record_lookback(
    session: DbSession, response: Response, principal: Writer, today: Today, lookback_id: RecordId, body: LookbackRecord
) -> LookbackRead:
    lookback = await service.record_lookback(session, principal, lookback_id, body, today)
    set_etag(response, lookback.version)
    return LookbackRead.model_validate(lookback)
