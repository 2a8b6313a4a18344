"""Routes of the household registry."""

from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.exports import XLSX_RESPONSES, exportable
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.personal import PersonalData, as_seen_by
from dixian_shared.routing import DbSession, make_router
from monitoring_api.deps import Reader, RecordId, Today, Writer
from monitoring_api.households import corrections, lifecycle, service
from monitoring_api.households.enums import Category
from monitoring_api.households.export_rows import members_of_page
from monitoring_api.households.schemas import (
    AssistanceStatusRead,
    CategoryCorrection,
    DeathCreate,
    DepartureCreate,
    HouseholdCreate,
    HouseholdDetail,
    HouseholdHistory,
    HouseholdMoveCreate,
    HouseholdMoveRead,
    HouseholdRead,
    HouseholdUpdate,
    MemberCreate,
    MemberExitRead,
    MemberMoveCreate,
    MemberMoveRead,
    MemberRead,
    MemberUpdate,
)

router = make_router(tags=["households"])

District = Annotated[Principal, Depends(require_roles(Role.district))]


@router.post(
    "/households", response_model=HouseholdDetail, status_code=status.HTTP_201_CREATED, summary="Register a household"
)
async def create_household(
    session: DbSession, response: Response, principal: Writer, today: Today, body: HouseholdCreate
) -> HouseholdDetail:
    household = await service.create_household(session, principal, body, today)
    detail = await service.require_household(session, principal, household.id, with_members=True)
    response.headers["Location"] = f"/households/{household.id}"
    set_etag(response, household.version)
    return HouseholdDetail.model_validate(detail)


@router.get(
    "/households",
    responses=XLSX_RESPONSES,
    response_model=Page[HouseholdRead],
    summary="Households in the caller's region",
)
@exportable("农户", extra=("家庭成员", MemberRead, members_of_page))
async def list_households(
    session: DbSession,
    principal: Reader,
    params: Annotated[PageParams, Depends(page_params)],
    region_code: Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")] = None,
    category: Category | None = None,
) -> Page[HouseholdRead]:
    rows = await service.list_households(session, principal, params, region_code=region_code, category=category)
    items, cursor = make_page(rows, params, lambda h: [h["region_code"], h["id"]])
    return Page(items=[HouseholdRead.model_validate(h) for h in items], next_cursor=cursor)


@router.get("/households/{household_id}", response_model=HouseholdDetail, summary="A household with its members")
async def get_household(
    session: DbSession, response: Response, principal: Reader, personal: PersonalData, household_id: RecordId
) -> HouseholdDetail:
    detail = HouseholdDetail.model_validate(await service.household_detail(session, principal, household_id))
    set_etag(response, detail.version)
    return await as_seen_by(session, principal, personal, detail, "household", detail.id)


@router.patch("/households/{household_id}", response_model=HouseholdRead, summary="Change a household (If-Match)")
async def update_household(
    session: DbSession,
    response: Response,
    principal: Writer,
    household_id: RecordId,
    body: HouseholdUpdate,
    if_match: IfMatch = None,
) -> HouseholdRead:
    household = await service.update_household(session, principal, household_id, if_match, body)
    set_etag(response, household.version)
    return HouseholdRead.model_validate(household)


@router.post(
    "/households/{household_id}/category-corrections",
    response_model=HouseholdRead,
    summary="District only: correct a wrongly recorded category, with the reason (audited; If-Match optional)",
)
async def correct_category(
    session: DbSession,
    response: Response,
    principal: District,
    today: Today,
    household_id: RecordId,
    body: CategoryCorrection,
    if_match: IfMatch = None,
) -> HouseholdRead:
    household = await corrections.correct_category(session, principal, household_id, if_match, body, today)
    set_etag(response, household.version)
    return HouseholdRead.model_validate(household)


@router.post(
    "/households/{household_id}/members",
    response_model=MemberRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a member to a household",
)
async def add_member(
    session: DbSession, response: Response, principal: Writer, household_id: RecordId, body: MemberCreate
) -> MemberRead:
    member = await service.add_member(session, principal, household_id, body)
    response.headers["Location"] = f"/members/{member.id}"
    set_etag(response, member.version)
    return MemberRead.model_validate(member)


@router.get("/members/{member_id}", response_model=MemberRead, summary="A member")
async def get_member(
    session: DbSession, response: Response, principal: Reader, personal: PersonalData, member_id: RecordId
) -> MemberRead:
    member = await service.require_member(session, principal, member_id)
    set_etag(response, member.version)
    return await as_seen_by(session, principal, personal, MemberRead.model_validate(member), "member", member.id)


@router.patch("/members/{member_id}", response_model=MemberRead, summary="Change a member (If-Match)")
async def update_member(
    session: DbSession,
    response: Response,
    principal: Writer,
    member_id: RecordId,
    body: MemberUpdate,
    if_match: IfMatch = None,
) -> MemberRead:
    member = await service.update_member(session, principal, member_id, if_match, body)
    set_etag(response, member.version)
    return MemberRead.model_validate(member)


@router.post("/members/{member_id}/move", response_model=MemberRead, summary="Move a member to another household")
async def move_member(
    session: DbSession, response: Response, principal: Writer, today: Today, member_id: RecordId, body: MemberMoveCreate
) -> MemberRead:
    member = await lifecycle.move_member(session, principal, member_id, body, today)
    set_etag(response, member.version)
    return MemberRead.model_validate(member)


@router.post("/members/{member_id}/death", response_model=MemberRead, summary="Record a member's death (死亡)")
async def record_death(
    session: DbSession, response: Response, principal: Writer, today: Today, member_id: RecordId, body: DeathCreate
) -> MemberRead:
    member = await lifecycle.record_death(session, principal, member_id, body, today)
    set_etag(response, member.version)
    return MemberRead.model_validate(member)


@router.post("/members/{member_id}/departure", response_model=MemberRead, summary="Record a member's departure (迁出)")
async def record_departure(
    session: DbSession, response: Response, principal: Writer, today: Today, member_id: RecordId, body: DepartureCreate
) -> MemberRead:
    member = await lifecycle.record_departure(session, principal, member_id, body, today)
    set_etag(response, member.version)
    return MemberRead.model_validate(member)


@router.post(
    "/households/{household_id}/move", response_model=HouseholdRead, summary="Move a household to another village"
)
async def move_household(
    session: DbSession,
    response: Response,
    principal: Writer,
    today: Today,
    household_id: RecordId,
    body: HouseholdMoveCreate,
) -> HouseholdRead:
    household = await lifecycle.move_household(session, principal, household_id, body, today)
    set_etag(response, household.version)
    return HouseholdRead.model_validate(household)


@router.get(
    "/households/{household_id}/history",
    response_model=HouseholdHistory,
    summary="Moves of the household and of its members, deaths and departures, the province's 帮扶状态 changes",
)
async def household_history(session: DbSession, principal: Reader, household_id: RecordId) -> HouseholdHistory:
    history = await lifecycle.history(session, principal, household_id)
    return HouseholdHistory(
        household_id=household_id,
        household_moves=[HouseholdMoveRead.model_validate(m) for m in history.household_moves],
        member_moves=[MemberMoveRead.model_validate(m) for m in history.member_moves],
        member_exits=[MemberExitRead.model_validate(m) for m in history.member_exits],
        assistance_statuses=[AssistanceStatusRead.model_validate(a) for a in history.assistance_statuses],
    )
