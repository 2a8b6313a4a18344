"""Routes of allocations, payments (拨付) and disbursement rates as of any day."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.concurrency import set_etag
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from funds_api.deps import Calendar, Reader, RecordId, RegionFilter, Rules, Today, Treasurer, region_in_scope
from funds_api.disbursement import rollups, service
from funds_api.disbursement.milestones import standing
from funds_api.disbursement.rollups import Level
from funds_api.disbursement.schemas import (
    AllocationCreate,
    AllocationRead,
    PaymentCreate,
    PaymentRead,
    ProjectRate,
    RateRow,
    Rollup,
)
from funds_api.exporting import XLSX_RESPONSES, exportable
from funds_api.labels import ROLLUP_LABELS
from funds_api.values import FIRST_DAY, LAST_DAY

router = make_router(tags=["allocations and payments"])

Paging = Annotated[PageParams, Depends(page_params)]
AsOf = Annotated[
    date | None,
    Query(ge=FIRST_DAY, le=LAST_DAY, description="money allocated and paid on or before this day; default today"),
]
YearQuery = Annotated[int | None, Query(ge=2000, le=2100, description="library year; default the year of as_of")]
IdFilter = Annotated[int | None, Query(ge=1, le=2**62)]


@router.post(
    "/allocations",
    response_model=AllocationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Allocate money of a fund source to an approved project",
)
async def allocate(
    session: DbSession, response: Response, principal: Treasurer, today: Today, body: AllocationCreate
) -> AllocationRead:
    allocation = await service.allocate(session, principal, body, today=today)
    response.headers["Location"] = f"/allocations/{allocation.id}"
    set_etag(response, allocation.version)
    return AllocationRead.model_validate(allocation)


@router.get(
    "/allocations",
    response_model=Page[AllocationRead],
    summary="Allocations in the caller's region",
    responses=XLSX_RESPONSES,
)
@exportable("资金下达")
async def list_allocations(
    session: DbSession,
    principal: Reader,
    params: Paging,
    project_id: IdFilter = None,
    fund_source_id: IdFilter = None,
) -> Page[AllocationRead]:
    rows = await service.list_allocations(
        session, principal, params, project_id=project_id, fund_source_id=fund_source_id
    )
    items, cursor = make_page(rows, params, lambda a: [a.id])
    return Page(items=[AllocationRead.model_validate(a) for a in items], next_cursor=cursor)


@router.get("/allocations/{allocation_id}", response_model=AllocationRead, summary="An allocation")
async def get_allocation(
    session: DbSession, response: Response, principal: Reader, allocation_id: RecordId
) -> AllocationRead:
    allocation = await service.require_allocation(session, principal, allocation_id)
    set_etag(response, allocation.version)
    return AllocationRead.model_validate(allocation)


@router.post(
    "/projects/{project_id}/payments",
    response_model=PaymentRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a payment (拨付) to an approved project from one of its allocations",
)
async def pay(
    session: DbSession,
    response: Response,
    principal: Treasurer,
    today: Today,
    project_id: RecordId,
    body: PaymentCreate,
) -> PaymentRead:
    payment = await service.pay(session, principal, project_id, body, today=today)
    response.headers["Location"] = f"/payments?project_id={project_id}"
    return PaymentRead.model_validate(payment)


@router.get(
    "/payments", response_model=Page[PaymentRead], summary="Payments in the caller's region", responses=XLSX_RESPONSES
)
@exportable("资金拨付")
async def list_payments(
    session: DbSession,
    principal: Reader,
    params: Paging,
    project_id: IdFilter = None,
    allocation_id: IdFilter = None,
) -> Page[PaymentRead]:
    rows = await service.list_payments(session, principal, params, project_id=project_id, allocation_id=allocation_id)
    items, cursor = make_page(rows, params, lambda p: [p.id])
    return Page(items=[PaymentRead.model_validate(p) for p in items], next_cursor=cursor)


def rows_and_total(rollup: Rollup) -> list[RateRow]:
    """The rows of a rollup's export: each town (department, fund source), then the district's total."""
    return [*rollup.rows, rollup.total]


async def _rollup(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    level: Level,
    as_of: date | None,
    year: int | None,
    region_code: str | None,
) -> Rollup:
    day = as_of or today
    view = standing(rules.disbursement, calendar, year or day.year, day)
    region = region_in_scope(principal, region_code)
    found = await rollups.rows(session, principal.region_prefix, [level, Level.district], view, region_code=region)
    return Rollup(
        year=view.year,
        as_of=day,
        level=level.value,
        target=view.target,
        passed=view.passed,
        total=found[Level.district][0],
        rows=found[level],
    )


@router.get(
    "/disbursement/by-town",
    response_model=Rollup,
    summary="Disbursement rate per town as of a day",
    responses=XLSX_RESPONSES,
)
@exportable("拨付进度（乡镇）", items=rows_and_total, model=RateRow, labels=ROLLUP_LABELS)
async def by_town(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    as_of: AsOf = None,
    year: YearQuery = None,
    region_code: RegionFilter = None,
) -> Rollup:
    return await _rollup(session, principal, rules, calendar, today, Level.town, as_of, year, region_code)


@router.get(
    "/disbursement/by-department",
    response_model=Rollup,
    summary="Disbursement rate per owner department as of a day",
    responses=XLSX_RESPONSES,
)
@exportable("拨付进度（部门）", items=rows_and_total, model=RateRow, labels=ROLLUP_LABELS)
async def by_department(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    as_of: AsOf = None,
    year: YearQuery = None,
    region_code: RegionFilter = None,
) -> Rollup:
    return await _rollup(session, principal, rules, calendar, today, Level.department, as_of, year, region_code)


@router.get(
    "/disbursement/by-fund-source",
    response_model=Rollup,
    summary="Disbursement rate per fund source as of a day",
    responses=XLSX_RESPONSES,
)
@exportable("拨付进度（资金来源）", items=rows_and_total, model=RateRow, labels=ROLLUP_LABELS)
async def by_fund_source(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    as_of: AsOf = None,
    year: YearQuery = None,
    region_code: RegionFilter = None,
) -> Rollup:
    return await _rollup(session, principal, rules, calendar, today, Level.fund_source, as_of, year, region_code)


@router.get(
    "/disbursement/projects",
    response_model=Page[ProjectRate],
    summary="Projects with their disbursement rate as of a day; lagging=true lists those below the milestone in view",
    responses=XLSX_RESPONSES,
)
@exportable("项目拨付进度", labels={"lagging": "是否滞后", "missed": "是否未达已过节点"})
async def project_rates(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    params: Paging,
    as_of: AsOf = None,
    year: YearQuery = None,
    region_code: RegionFilter = None,
    lagging: Annotated[bool, Query(description="only projects below the milestone in view")] = False,
    missed: Annotated[bool, Query(description="only projects below a milestone already past")] = False,
) -> Page[ProjectRate]:
    day = as_of or today
    view = standing(rules.disbursement, calendar, year or day.year, day)
    found = await rollups.projects(
        session,
        principal.region_prefix,
        view,
        params,
        region_code=region_code,
        lagging_only=lagging,
        missed_only=missed,
    )
    items, cursor = make_page(found, params, lambda p: [p.project_id])
    return Page(items=items, next_cursor=cursor)
