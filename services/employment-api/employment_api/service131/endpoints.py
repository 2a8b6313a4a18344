"""Routes of job-seeker registrations, their "131" services and the list of who is still missing which part."""

from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared import regioncode
from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from employment_api.deps import RecordId, Rules, Staff, Today
from employment_api.exporting import XLSX_RESPONSES, exportable
from employment_api.labels import SEEKER_LABELS
from employment_api.places import region_in_scope
from employment_api.service131 import service
from employment_api.service131.enums import ServicePart
from employment_api.service131.schemas import (
    MissingService,
    MissingSummary,
    SeekerClose,
    SeekerCreate,
    SeekerItem,
    SeekerRead,
    SeekerUpdate,
    ServiceCreate,
    ServiceRead,
    ServiceUpdate,
)

router = make_router(tags=["131 service"])

Paging = Annotated[PageParams, Depends(page_params)]
RegionFilter = Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")]


@router.post(
    "/job-seekers",
    response_model=SeekerRead,
    status_code=status.HTTP_201_CREATED,
    summary="Register a labourer as a job seeker (求职登记)",
)
async def register(
    session: DbSession, response: Response, principal: Staff, today: Today, body: SeekerCreate
) -> SeekerRead:
    seeker = await service.register(session, principal, body, today)
    response.headers["Location"] = f"/job-seekers/{seeker.id}"
    set_etag(response, seeker.version)
    return SeekerRead.model_validate(seeker)


@router.get(
    "/job-seekers",
    response_model=Page[SeekerItem],
    summary="Job seekers of the caller's region, named",
    responses=XLSX_RESPONSES,
)
@exportable("求职登记", labels=SEEKER_LABELS)
async def list_seekers(
    session: DbSession,
    principal: Staff,
    params: Paging,
    labourer_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    open_only: Annotated[bool | None, Query(alias="open", description="true: still seeking; false: closed")] = None,
    region_code: RegionFilter = None,
) -> Page[SeekerItem]:
    rows = await service.list_seekers(
        session, principal, params, labourer_id=labourer_id, open_only=open_only, region_code=region_code
    )
    items, cursor = make_page(rows, params, lambda s: [s.id])
    return Page(items=[SeekerItem.model_validate(s, from_attributes=True) for s in items], next_cursor=cursor)


@router.get(
    "/job-seekers/missing",
    response_model=Page[MissingService],
    summary="Open job seekers still missing a part of the 131 service, and which",
    responses=XLSX_RESPONSES,
)
@exportable("131服务缺项")
async def list_missing(
    session: DbSession,
    principal: Staff,
    rules: Rules,
    params: Paging,
    region_code: RegionFilter = None,
    part: Annotated[ServicePart | None, Query(description="only those missing this part")] = None,
) -> Page[MissingService]:
    region = region_in_scope(principal, region_code)
    rows = await service.list_missing(
        session, principal, params, rules, region_prefix=regioncode.prefix(region), part=part
    )
    items, cursor = make_page(rows, params, lambda r: [r.seeker_id])
    return Page(items=[service.missing_of(r) for r in items], next_cursor=cursor)


@router.get(
    "/job-seekers/missing/summary",
    response_model=MissingSummary,
    summary="How many open job seekers miss a part of the 131 service, per village (the list's own rows)",
)
async def missing_summary(
    session: DbSession, principal: Staff, rules: Rules, region_code: RegionFilter = None
) -> MissingSummary:
    region = region_in_scope(principal, region_code)
    return await service.missing_summary(session, principal, rules, region_code=region)


@router.get("/job-seekers/{seeker_id}", response_model=SeekerRead, summary="A job-seeker registration")
async def get_seeker(session: DbSession, response: Response, principal: Staff, seeker_id: RecordId) -> SeekerRead:
    seeker = await service.require_seeker(session, principal, seeker_id)
    set_etag(response, seeker.version)
    return SeekerRead.model_validate(seeker)


@router.patch("/job-seekers/{seeker_id}", response_model=SeekerRead, summary="Correct a registration (If-Match)")
async def update_seeker(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    seeker_id: RecordId,
    body: SeekerUpdate,
    if_match: IfMatch = None,
) -> SeekerRead:
    seeker = await service.update_seeker(session, principal, seeker_id, if_match, body, today)
    set_etag(response, seeker.version)
    return SeekerRead.model_validate(seeker)


@router.post(
    "/job-seekers/{seeker_id}/close",
    response_model=SeekerRead,
    summary="Close a registration: found work, stopped seeking or left the roster (If-Match)",
)
async def close(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    seeker_id: RecordId,
    body: SeekerClose,
    if_match: IfMatch = None,
) -> SeekerRead:
    seeker = await service.close(session, principal, seeker_id, if_match, body, today)
    set_etag(response, seeker.version)
    return SeekerRead.model_validate(seeker)


@router.post(
    "/job-seekers/{seeker_id}/services",
    response_model=ServiceRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a part of the 131 service given to a job seeker: date and by whom",
)
async def add_service(
    session: DbSession, response: Response, principal: Staff, today: Today, seeker_id: RecordId, body: ServiceCreate
) -> ServiceRead:
    record = await service.add_service(session, principal, seeker_id, body, today)
    response.headers["Location"] = f"/services-131/{record.id}"
    set_etag(response, record.version)
    return ServiceRead.model_validate(record)


@router.get(
    "/job-seekers/{seeker_id}/services", response_model=Page[ServiceRead], summary="A job seeker's 131 services"
)
async def list_services(session: DbSession, principal: Staff, seeker_id: RecordId, params: Paging) -> Page[ServiceRead]:
    rows = await service.list_services(session, principal, seeker_id, params)
    items, cursor = make_page(rows, params, lambda s: [s.id])
    return Page(items=[ServiceRead.model_validate(s) for s in items], next_cursor=cursor)


@router.get("/services-131/{service_id}", response_model=ServiceRead, summary="A 131 service record")
async def get_service(session: DbSession, response: Response, principal: Staff, service_id: RecordId) -> ServiceRead:
    record = await service.require_service(session, principal, service_id)
    set_etag(response, record.version)
    return ServiceRead.model_validate(record)


@router.patch("/services-131/{service_id}", response_model=ServiceRead, summary="Correct a 131 service (If-Match)")
async def update_service(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    service_id: RecordId,
    body: ServiceUpdate,
    if_match: IfMatch = None,
) -> ServiceRead:
    record = await service.update_service(session, principal, service_id, if_match, body, today)
    set_etag(response, record.version)
    return ServiceRead.model_validate(record)
