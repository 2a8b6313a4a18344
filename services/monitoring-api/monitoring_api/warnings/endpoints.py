"""Routes of the three-line warning and the key groups."""

from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.exports import XLSX_RESPONSES, exportable
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from monitoring_api.assessments.months import Month, first_day
from monitoring_api.deps import Reader, RecordId, Rules, Today, Writer
from monitoring_api.warnings import group_service, service, unscreened
from monitoring_api.warnings.enums import Grade, KeyGroup, Line
from monitoring_api.warnings.schemas import (
    GroupMarkCreate,
    GroupMarkRead,
    GroupMembership,
    HouseholdRecompute,
    RecomputeResult,
    UnscreenedItem,
    WarningRead,
)

router = make_router(tags=["warnings"])

RegionRecomputer = Annotated[Principal, Depends(require_roles(Role.district, Role.town))]
Paging = Annotated[PageParams, Depends(page_params)]
RegionFilter = Annotated[str | None, Query(pattern=r"^[0-9]{12}$", description="only under this region")]
IncludeResolved = Annotated[bool, Query(description="also list resolved warnings")]


def _page(rows: list, params: PageParams) -> Page[WarningRead]:
    items, cursor = make_page(rows, params, lambda w: [w.id])
    return Page(items=[WarningRead.model_validate(w) for w in items], next_cursor=cursor)


@router.get(
    "/warnings", responses=XLSX_RESPONSES, response_model=Page[WarningRead], summary="Warnings in the caller's region"
)
@exportable("预警")
async def list_warnings(
    session: DbSession,
    principal: Reader,
    params: Paging,
    line: Line | None = None,
    grade: Grade | None = None,
    region_code: RegionFilter = None,
    include_resolved: IncludeResolved = False,
) -> Page[WarningRead]:
    rows = await service.list_warnings(
        session,
        principal,
        params,
        line=line,
        grade=grade,
        region_code=region_code,
        include_resolved=include_resolved,
    )
    return _page(list(rows), params)


@router.post(
    "/warnings/recompute", response_model=RecomputeResult, summary="Recompute the system rules for a whole region"
)
async def recompute_region(
    session: DbSession, principal: RegionRecomputer, rules: Rules, today: Today, region_code: RegionFilter = None
) -> RecomputeResult:
    code, counts = await service.recompute_region_for(session, principal, region_code, rules=rules, today=today)
    return RecomputeResult(scope=f"region:{code}", rules=counts)


@router.get("/households/{household_id}/warnings", response_model=Page[WarningRead], summary="A household's warnings")
async def list_household_warnings(
    session: DbSession,
    principal: Reader,
    household_id: RecordId,
    params: Paging,
    include_resolved: IncludeResolved = False,
) -> Page[WarningRead]:
    rows = await service.list_household_warnings(
        session, principal, household_id, params, include_resolved=include_resolved
    )
    return _page(list(rows), params)


@router.post(
    "/households/{household_id}/warnings/recompute",
    response_model=HouseholdRecompute,
    summary="Recompute a household's warnings from its current data",
)
async def recompute_household(
    session: DbSession, principal: Writer, household_id: RecordId, rules: Rules, today: Today
) -> HouseholdRecompute:
    counts = await service.recompute_household_for(session, principal, household_id, rules=rules, today=today)
    open_now = await service.list_household_warnings(
        session, principal, household_id, PageParams(limit=500, cursor=None), include_resolved=False
    )
    return HouseholdRecompute(
        scope=f"household:{household_id}",
        rules=counts,
        open_warnings=[WarningRead.model_validate(w) for w in open_now],
    )


@router.get(
    "/households/{household_id}/groups",
    response_model=list[GroupMembership],
    summary="The key groups (八类重点人群) a household belongs to, and why",
)
async def household_groups(session: DbSession, principal: Reader, household_id: RecordId) -> list[GroupMembership]:
    return await group_service.household_groups(session, principal, household_id)


@router.post(
    "/households/{household_id}/groups",
    response_model=GroupMarkRead,
    status_code=status.HTTP_201_CREATED,
    summary="Mark a household as in a key group the data cannot show (with a reason)",
)
async def mark_group(
    session: DbSession, response: Response, principal: Writer, household_id: RecordId, body: GroupMarkCreate
) -> GroupMarkRead:
    mark = await group_service.mark_group(session, principal, household_id, body)
    response.headers["Location"] = f"/households/{household_id}/groups"
    return GroupMarkRead.model_validate(mark)


@router.delete(
    "/households/{household_id}/groups/{mark_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="End a staff mark (the record stays, with who ended it and when)",
)
async def end_mark(session: DbSession, principal: Writer, household_id: RecordId, mark_id: RecordId) -> Response:
    await group_service.end_mark(session, principal, household_id, mark_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/key-groups/unscreened",
    response_model=Page[UnscreenedItem],
    summary="Key-group members (八类重点人群) with no 研判 recorded for the month (this month by default)",
)
async def unscreened_members(
    session: DbSession,
    principal: Reader,
    today: Today,
    params: Paging,
    month: Annotated[Month | None, Query(description="YYYY-MM; this month by default")] = None,
    region_code: RegionFilter = None,
    key_group: KeyGroup | None = None,
) -> Page[UnscreenedItem]:
    rows = await unscreened.unscreened(
        session, principal, params, month=month or first_day(today), region_code=region_code, key_group=key_group
    )
    items, cursor = make_page(rows, params, lambda r: [r.household_id])
    return Page(items=[UnscreenedItem.model_validate(r._asdict()) for r in items], next_cursor=cursor)
