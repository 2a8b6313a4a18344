"""Routes of the overview and the special groups."""

from typing import Annotated

from fastapi import Depends, Path, Query

from dixian_shared.exports import XLSX_RESPONSES, exportable
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from monitoring_api.deps import Reader, Rules, Today
from monitoring_api.households.enums import Category
from monitoring_api.overview import service
from monitoring_api.overview.schemas import Overview, RegionCounts, SpecialGroup, SpecialGroupItem

router = make_router(tags=["overview"])

RegionFilter = Annotated[str | None, Query(pattern=r"^[0-9]{12}$", description="the region; the caller's by default")]


@router.get(
    "/overview",
    responses=XLSX_RESPONSES,
    response_model=Overview,
    summary="Counts per child region: categories, groups, warnings",
)
@exportable("统计概览", items=lambda o: [*o.children, o.total], model=RegionCounts, flatten=True)
async def overview(
    session: DbSession, principal: Reader, rules: Rules, today: Today, region_code: RegionFilter = None
) -> Overview:
    return await service.overview(session, principal, region_code, rules=rules, today=today)


@router.get(
    "/special-groups/{kind}",
    responses=XLSX_RESPONSES,
    response_model=Page[SpecialGroupItem],
    summary="Households in a special group (家庭劳动力不足 / 连续2年收入下降 / 超过6个月未取消风险)",
)
@exportable("特殊群体")
async def special_group(
    session: DbSession,
    principal: Reader,
    kind: Annotated[SpecialGroup, Path()],
    params: Annotated[PageParams, Depends(page_params)],
    rules: Rules,
    today: Today,
    region_code: RegionFilter = None,
    category: Category | None = None,
) -> Page[SpecialGroupItem]:
    rows = await service.special_group(
        session, principal, kind, params, rules=rules, today=today, region_code=region_code, category=category
    )
    items, cursor = make_page(rows, params, lambda r: [r.household_id])
    return Page(items=[SpecialGroupItem.model_validate(r._asdict()) for r in items], next_cursor=cursor)
