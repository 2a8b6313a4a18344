"""Routes of cadre pairings (结对帮扶), home visits (入户走访) and the overdue-visit list."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Response, status
from pydantic import AfterValidator

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role, person_subject
from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.exports import XLSX_RESPONSES, exportable
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.personal import PersonalData, as_seen_by
from dixian_shared.routing import DbSession, make_router
from monitoring_api.deps import RecordId, Rules, Today, Writer
from monitoring_api.households.schemas import HouseholdDetail, HouseholdRead
from monitoring_api.income.schemas import VerifiedIncomeRead
from monitoring_api.visits import service
from monitoring_api.visits.schemas import (
    USER_ID_PATTERN,
    GroupBy,
    OverdueCount,
    OverdueVisit,
    OverdueVisits,
    PairingCreate,
    PairingEnd,
    PairingRead,
    VisitCreate,
    VisitRead,
)

router = make_router(tags=["visits"])

Visitor = Annotated[Principal, Depends(require_roles(Role.district, Role.town, Role.village, Role.cadre))]
Paging = Annotated[PageParams, Depends(page_params)]
RegionFilter = Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")]
UserIdFilter = Annotated[
    str | None,
    Query(pattern=USER_ID_PATTERN, description="`user:<id>` or the bare id"),
    AfterValidator(lambda value: None if value is None else person_subject(value)),
]


@router.post("/pairings", response_model=PairingRead, status_code=status.HTTP_201_CREATED, summary="Pair a cadre")
async def create_pairing(
    session: DbSession, response: Response, principal: Writer, today: Today, body: PairingCreate
) -> PairingRead:
    pairing = await service.create_pairing(session, principal, body, today)
    response.headers["Location"] = f"/pairings/{pairing.id}"
    set_etag(response, pairing.version)
    return PairingRead.model_validate(pairing)


@router.get("/pairings", response_model=Page[PairingRead], summary="Pairings in the caller's region")
async def list_pairings(
    session: DbSession,
    principal: Visitor,
    params: Paging,
    household_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    cadre_user_id: UserIdFilter = None,
    active: bool | None = None,
) -> Page[PairingRead]:
    rows = await service.list_pairings(
        session, principal, params, household_id=household_id, cadre_user_id=cadre_user_id, active=active
    )
    items, cursor = make_page(rows, params, lambda p: [p.id])
    return Page(items=[PairingRead.model_validate(p) for p in items], next_cursor=cursor)


@router.get("/pairings/{pairing_id}", response_model=PairingRead, summary="A pairing")
async def get_pairing(session: DbSession, response: Response, principal: Visitor, pairing_id: RecordId) -> PairingRead:
    pairing = await service.require_pairing(session, principal, pairing_id)
    set_etag(response, pairing.version)
    return PairingRead.model_validate(pairing)


@router.post("/pairings/{pairing_id}/end", response_model=PairingRead, summary="Unpair, with an end date (If-Match)")
async def end_pairing(
    session: DbSession,
    response: Response,
    principal: Writer,
    today: Today,
    pairing_id: RecordId,
    body: PairingEnd,
    if_match: IfMatch = None,
) -> PairingRead:
    pairing = await service.end_pairing(session, principal, pairing_id, if_match, body, today)
    set_etag(response, pairing.version)
    return PairingRead.model_validate(pairing)


@router.post(
    "/households/{household_id}/visits",
    response_model=VisitRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a home visit (入户走访)",
)
async def record_visit(
    session: DbSession, response: Response, principal: Visitor, today: Today, household_id: RecordId, body: VisitCreate
) -> VisitRead:
    visit = await service.record_visit(session, principal, household_id, body, today)
    response.headers["Location"] = f"/visits/{visit.id}"
    set_etag(response, visit.version)
    return VisitRead.model_validate(visit)


@router.get("/households/{household_id}/visits", response_model=Page[VisitRead], summary="A household's visits")
async def list_household_visits(
    session: DbSession, principal: Visitor, household_id: RecordId, params: Paging
) -> Page[VisitRead]:
    rows = await service.list_visits(session, principal, params, household_id=household_id)
    items, cursor = make_page(rows, params, lambda v: [v.id])
    return Page(items=[VisitRead.model_validate(v) for v in items], next_cursor=cursor)


@router.get(
    "/visits/overdue",
    responses=XLSX_RESPONSES,
    response_model=OverdueVisits,
    summary="Households whose visit is overdue (last visit + cadence months before today), with counts",
)
@exportable("走访逾期")
async def overdue_visits(
    session: DbSession,
    principal: Visitor,
    rules: Rules,
    today: Today,
    params: Paging,
    group_by: GroupBy | None = None,
    region_code: RegionFilter = None,
) -> OverdueVisits:
    rows, counts = await service.overdue_visits(
        session, principal, params, rules, today, group_by=group_by, region_code=region_code
    )
    items, cursor = make_page(rows, params, lambda r: [r.household_id])
    return OverdueVisits(
        items=[OverdueVisit.model_validate(r) for r in items],
        next_cursor=cursor,
        group_by=group_by,
        counts=None if counts is None else [OverdueCount.model_validate(c) for c in counts],
    )


@router.get(
    "/visits",
    responses=XLSX_RESPONSES,
    response_model=Page[VisitRead],
    summary="Visits in the caller's region (a cadre: their own)",
)
@exportable("走访记录")
async def list_visits(
    session: DbSession,
    principal: Visitor,
    params: Paging,
    region_code: RegionFilter = None,
    cadre_user_id: UserIdFilter = None,
    visited_from: date | None = None,
    visited_to: date | None = None,
) -> Page[VisitRead]:
    rows = await service.list_visits(
        session,
        principal,
        params,
        region_code=region_code,
        cadre_user_id=cadre_user_id,
        visited_from=visited_from,
        visited_to=visited_to,
    )
    items, cursor = make_page(rows, params, lambda v: [v.id])
    return Page(items=[VisitRead.model_validate(v) for v in items], next_cursor=cursor)


@router.get("/visits/{visit_id}", response_model=VisitRead, summary="A visit")
async def get_visit(session: DbSession, response: Response, principal: Visitor, visit_id: RecordId) -> VisitRead:
    visit = await service.require_visit(session, principal, visit_id)
    set_etag(response, visit.version)
    return VisitRead.model_validate(visit)


@router.get(
    "/paired-households",
    response_model=Page[HouseholdRead],
    summary="Households with an active pairing (a cadre: the households paired with them)",
)
async def list_paired_households(session: DbSession, principal: Visitor, params: Paging) -> Page[HouseholdRead]:
    rows = await service.list_paired_households(session, principal, params)
    items, cursor = make_page(rows, params, lambda h: [h.id])
    return Page(items=[HouseholdRead.model_validate(h) for h in items], next_cursor=cursor)


@router.get(
    "/paired-households/{household_id}",
    response_model=HouseholdDetail,
    summary="A paired household with its members, as the cadre visiting it sees it",
)
async def get_paired_household(
    session: DbSession, response: Response, principal: Visitor, personal: PersonalData, household_id: RecordId
) -> HouseholdDetail:
    household, verified = await service.paired_household_detail(session, principal, household_id)
    set_etag(response, household.version)
    detail = HouseholdDetail.model_validate(household).model_copy(
        update={"income_verifications": [VerifiedIncomeRead.model_validate(v) for v in verified]}
    )
    return await as_seen_by(session, principal, personal, detail, "household", household.id)
