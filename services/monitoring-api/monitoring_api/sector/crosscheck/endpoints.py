"""Routes of discrepancies (比对疑点): lists and counts by region, department and rule; the village's workflow."""

from typing import Annotated, Literal

from fastapi import Depends, Path, Query, Response

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.exports import XLSX_RESPONSES, exportable
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from monitoring_api.sector.crosscheck import discrepancies
from monitoring_api.sector.enums import CheckRule, DataType, Department, DiscrepancyStatus
from monitoring_api.sector.repository import DiscrepancyFilter
from monitoring_api.sector.schemas import (
    ActionRead,
    DiscrepancyCount,
    DiscrepancyCounts,
    DiscrepancyDetail,
    DiscrepancyRead,
    DiscrepancyUpdate,
)

router = make_router(tags=["discrepancies"])

Id = Annotated[int, Path(ge=1, le=2**62)]
Reader = Annotated[
    Principal, Depends(require_roles(Role.district, Role.town, Role.village, Role.department, keys=True))
]
# The village verifies and handles what concerns it; the town may act for its villages.
Worker = Annotated[Principal, Depends(require_roles(Role.town, Role.village))]


async def discrepancy_filter(
    region_code: Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")] = None,
    department: Department | None = None,
    data_type: DataType | None = None,
    rule: CheckRule | None = None,
    status: DiscrepancyStatus | None = None,
) -> DiscrepancyFilter:
    return DiscrepancyFilter(
        region_code=region_code, department=department, data_type=data_type, rule=rule, status=status
    )


Filter = Annotated[DiscrepancyFilter, Depends(discrepancy_filter)]


@router.get(
    "/discrepancies",
    responses=XLSX_RESPONSES,
    response_model=Page[DiscrepancyRead],
    summary="Discrepancies the caller may see",
)
@exportable("比对疑点")
async def list_discrepancies(
    session: DbSession, principal: Reader, where: Filter, params: Annotated[PageParams, Depends(page_params)]
) -> Page[DiscrepancyRead]:
    rows = await discrepancies.list_discrepancies(session, principal, params, where)
    items, cursor = make_page(rows, params, lambda d: [d.id])
    return Page(items=[DiscrepancyRead.model_validate(d) for d in items], next_cursor=cursor)


@router.get(
    "/discrepancies/counts",
    response_model=DiscrepancyCounts,
    summary="Counts per region (village or town) and rule, with the number in each status",
)
async def count_discrepancies(
    session: DbSession,
    principal: Reader,
    where: Filter,
    by: Annotated[Literal["village", "town"], Query(description="group by village, or by town")] = "village",
) -> DiscrepancyCounts:
    rows = await discrepancies.count_discrepancies(session, principal, by == "town", where)
    return DiscrepancyCounts(items=[DiscrepancyCount.model_validate(row, from_attributes=True) for row in rows])


@router.get("/discrepancies/{discrepancy_id}", response_model=DiscrepancyDetail, summary="One discrepancy, its history")
async def get_discrepancy(
    session: DbSession, response: Response, principal: Reader, discrepancy_id: Id
) -> DiscrepancyDetail:
    found = await discrepancies.require_discrepancy(session, principal, discrepancy_id)
    history = await discrepancies.actions(session, found.id)
    set_etag(response, found.version)
    return DiscrepancyDetail(
        **DiscrepancyRead.model_validate(found).model_dump(),
        actions=[ActionRead.model_validate(a) for a in history],
    )


@router.patch(
    "/discrepancies/{discrepancy_id}",
    response_model=DiscrepancyRead,
    summary="Move a discrepancy on: 待核实 → 已核实 / 已处理 / 误报 (If-Match; a note for 已处理 and 误报)",
)
async def change_status(
    session: DbSession,
    response: Response,
    principal: Worker,
    discrepancy_id: Id,
    body: DiscrepancyUpdate,
    if_match: IfMatch = None,
) -> DiscrepancyRead:
    found = await discrepancies.change_status(session, principal, discrepancy_id, if_match, body)
    set_etag(response, found.version)
    return DiscrepancyRead.model_validate(found)
