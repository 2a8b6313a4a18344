"""Routes of subsidy grants: transport, public-welfare job and one-off start-up subsidies."""

from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from employment_api.deps import RecordId, Rules, Staff, Today
from employment_api.exporting import XLSX_RESPONSES, exportable
from employment_api.places import region_in_scope
from employment_api.subsidies import service
from employment_api.subsidies.enums import SubsidyKind
from employment_api.subsidies.schemas import (
    SubsidyCreate,
    SubsidyItem,
    SubsidyRead,
    SubsidyRevoke,
    SubsidyTotals,
    SubsidyUpdate,
)

router = make_router(tags=["subsidies"])

Paging = Annotated[PageParams, Depends(page_params)]
RegionFilter = Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")]
PeriodFilter = Annotated[
    str | None,
    Query(
        pattern=r"^(19|20)\d{2}(-(0[1-9]|1[0-2]))?$|^一次性$", description="a year (its months too), a month, or 一次性"
    ),
]


@router.post(
    "/subsidies",
    response_model=SubsidyRead,
    status_code=status.HTTP_201_CREATED,
    summary="Grant a subsidy for a period; a second grant for the same person, kind and period is refused",
)
async def grant(
    session: DbSession, response: Response, principal: Staff, rules: Rules, today: Today, body: SubsidyCreate
) -> SubsidyRead:
    subsidy = await service.grant(session, principal, rules, body, today)
    response.headers["Location"] = f"/subsidies/{subsidy.id}"
    set_etag(response, subsidy.version)
    return SubsidyRead.model_validate(subsidy)


@router.get(
    "/subsidies",
    response_model=Page[SubsidyItem],
    summary="Grants to the caller's labourers, named",
    responses=XLSX_RESPONSES,
)
@exportable("就业补贴", labels={"kind": "补贴类别"})
async def list_subsidies(
    session: DbSession,
    principal: Staff,
    params: Paging,
    labourer_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    kind: SubsidyKind | None = None,
    period: PeriodFilter = None,
    region_code: RegionFilter = None,
    include_revoked: bool = False,
) -> Page[SubsidyItem]:
    rows = await service.list_subsidies(
        session,
        principal,
        params,
        labourer_id=labourer_id,
        kind=kind,
        period_prefix=period,
        region_code=region_code,
        include_revoked=include_revoked,
    )
    items, cursor = make_page(rows, params, lambda s: [s.id])
    return Page(items=[SubsidyItem.model_validate(s, from_attributes=True) for s in items], next_cursor=cursor)


@router.get(
    "/subsidies/totals",
    response_model=SubsidyTotals,
    summary="Grants, people and amount per kind in a region and period (the list's own grants)",
)
async def totals(
    session: DbSession,
    principal: Staff,
    region_code: RegionFilter = None,
    period: PeriodFilter = None,
    kind: SubsidyKind | None = None,
) -> SubsidyTotals:
    region = region_in_scope(principal, region_code)
    return await service.totals(session, principal, region_code=region, period_prefix=period, kind=kind)


@router.get("/subsidies/{subsidy_id}", response_model=SubsidyRead, summary="A grant")
async def get_subsidy(session: DbSession, response: Response, principal: Staff, subsidy_id: RecordId) -> SubsidyRead:
    subsidy = await service.require_subsidy(session, principal, subsidy_id)
    set_etag(response, subsidy.version)
    return SubsidyRead.model_validate(subsidy)


@router.patch(
    "/subsidies/{subsidy_id}", response_model=SubsidyRead, summary="Correct a grant's amount or note (If-Match)"
)
async def update_subsidy(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    subsidy_id: RecordId,
    body: SubsidyUpdate,
    if_match: IfMatch = None,
) -> SubsidyRead:
    subsidy = await service.update_subsidy(session, principal, subsidy_id, if_match, body, today)
    set_etag(response, subsidy.version)
    return SubsidyRead.model_validate(subsidy)


@router.post(
    "/subsidies/{subsidy_id}/revoke",
    response_model=SubsidyRead,
    summary="Revoke a grant made in error, with a reason (If-Match); the period may then be granted again",
)
async def revoke(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    subsidy_id: RecordId,
    body: SubsidyRevoke,
    if_match: IfMatch = None,
) -> SubsidyRead:
    subsidy = await service.revoke(session, principal, subsidy_id, if_match, body, today)
    set_etag(response, subsidy.version)
    return SubsidyRead.model_validate(subsidy)
