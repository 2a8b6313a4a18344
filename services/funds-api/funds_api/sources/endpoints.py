"""Routes of fund sources (衔接资金) and the central-funds-to-industry share."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from funds_api.deps import Reader, RecordId, Rules, Today, Treasurer
from funds_api.exporting import XLSX_RESPONSES, exportable
from funds_api.labels import INDUSTRY_LABELS
from funds_api.sources import industry_share, service
from funds_api.sources.enums import FundLevel
from funds_api.sources.schemas import (
    CentralIndustryShare,
    FundSourceCreate,
    FundSourceRead,
    FundSourceUpdate,
    IndustryProject,
)
from funds_api.values import FIRST_DAY, LAST_DAY

router = make_router(tags=["fund sources"])

Paging = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/fund-sources",
    response_model=FundSourceRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a fund source (衔接资金) of a level and year",
)
async def create_source(
    session: DbSession, response: Response, principal: Treasurer, body: FundSourceCreate
) -> FundSourceRead:
    source = await service.create(session, principal, body)
    response.headers["Location"] = f"/fund-sources/{source.id}"
    set_etag(response, source.version)
    return (await service.read(session, [source]))[0]


@router.get(
    "/fund-sources",
    response_model=Page[FundSourceRead],
    summary="Fund sources, with what is allocated",
    responses=XLSX_RESPONSES,
)
@exportable("衔接资金", labels={"received_on": "到账日期"})
async def list_sources(
    session: DbSession,
    principal: Reader,
    params: Paging,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    level: FundLevel | None = None,
) -> Page[FundSourceRead]:
    rows = await service.list_sources(session, principal, params, year=year, level=level)
    items, cursor = make_page(rows, params, lambda s: [s.id])
    return Page(items=await service.read(session, items), next_cursor=cursor)


@router.get(
    "/fund-sources/central-industry-share",
    response_model=CentralIndustryShare,
    summary="Share of the year's central funds allocated to 产业 projects against the minimum (§7), and the projects",
    responses=XLSX_RESPONSES,
)
@exportable("中央资金产业项目", items=lambda share: share.projects, model=IndustryProject, labels=INDUSTRY_LABELS)
async def central_industry_share(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    today: Today,
    year: Annotated[int, Query(ge=2000, le=2100)],
    as_of: Annotated[
        date | None,
        Query(ge=FIRST_DAY, le=LAST_DAY, description="allocations made on or before this day; default today"),
    ] = None,
) -> CentralIndustryShare:
    return await industry_share.central_industry_share(
        session, principal, year=year, as_of=as_of or today, min_share=rules.central_industry_min_share
    )


@router.get("/fund-sources/{source_id}", response_model=FundSourceRead, summary="A fund source")
async def get_source(session: DbSession, response: Response, principal: Reader, source_id: RecordId) -> FundSourceRead:
    source = await service.require(session, principal, source_id)
    set_etag(response, source.version)
    return (await service.read(session, [source]))[0]


@router.patch("/fund-sources/{source_id}", response_model=FundSourceRead, summary="Correct a fund source (If-Match)")
async def update_source(
    session: DbSession,
    response: Response,
    principal: Treasurer,
    source_id: RecordId,
    body: FundSourceUpdate,
    if_match: IfMatch = None,
) -> FundSourceRead:
    source = await service.update(session, principal, source_id, if_match, body)
    set_etag(response, source.version)
    return (await service.read(session, [source]))[0]
