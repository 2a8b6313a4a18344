"""Routes of public-welfare positions, assistance-workshop jobs and the labourers who hold them."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from employment_api.deps import RecordId, Staff
from employment_api.exporting import XLSX_RESPONSES, exportable
from employment_api.jobs import service
from employment_api.jobs.enums import PositionKind
from employment_api.jobs.schemas import (
    OccupancyCreate,
    OccupancyItem,
    OccupancyRead,
    OccupancyUpdate,
    PositionCreate,
    PositionRead,
    PositionUpdate,
)
from employment_api.labels import OCCUPANCY_LABELS, POSITION_LABELS

router = make_router(tags=["positions"])

Paging = Annotated[PageParams, Depends(page_params)]
RegionFilter = Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")]
LabourerFilter = Annotated[int | None, Query(ge=1, le=2**62, description="the roster's labourer id")]


@router.post(
    "/positions",
    response_model=PositionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Set up a public-welfare position (公益性岗位) or an assistance-workshop job (帮扶车间)",
)
async def create_position(
    session: DbSession, response: Response, principal: Staff, body: PositionCreate
) -> PositionRead:
    position = await service.create_position(session, principal, body)
    response.headers["Location"] = f"/positions/{position.id}"
    set_etag(response, position.version)
    return PositionRead.model_validate(position)


@router.get(
    "/positions",
    response_model=Page[PositionRead],
    summary="Positions at the caller's places and the town and district above them",
    responses=XLSX_RESPONSES,
)
@exportable("岗位", labels=POSITION_LABELS)
async def list_positions(
    session: DbSession,
    principal: Staff,
    params: Paging,
    kind: PositionKind | None = None,
    region_code: RegionFilter = None,
    open_on: Annotated[date | None, Query(description="only positions open on this day")] = None,
) -> Page[PositionRead]:
    rows = await service.list_positions(session, principal, params, kind=kind, region_code=region_code, open_on=open_on)
    items, cursor = make_page(rows, params, lambda p: [p.id])
    return Page(items=[PositionRead.model_validate(p) for p in items], next_cursor=cursor)


@router.get("/positions/{position_id}", response_model=PositionRead, summary="A position")
async def get_position(session: DbSession, response: Response, principal: Staff, position_id: RecordId) -> PositionRead:
    position = await service.require_position(session, principal, position_id)
    set_etag(response, position.version)
    return PositionRead.model_validate(position)


@router.patch("/positions/{position_id}", response_model=PositionRead, summary="Change or close a position (If-Match)")
async def update_position(
    session: DbSession,
    response: Response,
    principal: Staff,
    position_id: RecordId,
    body: PositionUpdate,
    if_match: IfMatch = None,
) -> PositionRead:
    position = await service.update_position(session, principal, position_id, if_match, body)
    set_etag(response, position.version)
    return PositionRead.model_validate(position)


@router.post(
    "/positions/{position_id}/occupancies",
    response_model=OccupancyRead,
    status_code=status.HTTP_201_CREATED,
    summary="Place a labourer in a position for a period",
)
async def add_occupancy(
    session: DbSession, response: Response, principal: Staff, position_id: RecordId, body: OccupancyCreate
) -> OccupancyRead:
    occupancy = await service.add_occupancy(session, principal, position_id, body)
    response.headers["Location"] = f"/occupancies/{occupancy.id}"
    set_etag(response, occupancy.version)
    return OccupancyRead.model_validate(occupancy)


@router.get(
    "/positions/{position_id}/occupancies",
    response_model=Page[OccupancyItem],
    summary="Who held a position, and when (the caller's labourers, named)",
    responses=XLSX_RESPONSES,
)
@exportable("在岗人员", labels=OCCUPANCY_LABELS)
async def list_position_occupancies(
    session: DbSession, principal: Staff, position_id: RecordId, params: Paging
) -> Page[OccupancyItem]:
    rows = await service.list_position_occupancies(session, principal, position_id, params)
    items, cursor = make_page(rows, params, lambda o: [o.id])
    return Page(items=[OccupancyItem.model_validate(o, from_attributes=True) for o in items], next_cursor=cursor)


@router.get(
    "/occupancies",
    response_model=Page[OccupancyItem],
    summary="Occupancies of the caller's labourers, named",
    responses=XLSX_RESPONSES,
)
@exportable("在岗人员", labels=OCCUPANCY_LABELS)
async def list_occupancies(
    session: DbSession,
    principal: Staff,
    params: Paging,
    labourer_id: LabourerFilter = None,
    kind: PositionKind | None = None,
    region_code: RegionFilter = None,
    held_on: Annotated[date | None, Query(description="only occupancies covering this day")] = None,
) -> Page[OccupancyItem]:
    rows = await service.list_occupancies(
        session, principal, params, labourer_id=labourer_id, kind=kind, region_code=region_code, held_on_day=held_on
    )
    items, cursor = make_page(rows, params, lambda o: [o.id])
    return Page(items=[OccupancyItem.model_validate(o, from_attributes=True) for o in items], next_cursor=cursor)


@router.get("/occupancies/{occupancy_id}", response_model=OccupancyRead, summary="An occupancy")
async def get_occupancy(
    session: DbSession, response: Response, principal: Staff, occupancy_id: RecordId
) -> OccupancyRead:
    occupancy = await service.require_occupancy(session, principal, occupancy_id)
    set_etag(response, occupancy.version)
    return OccupancyRead.model_validate(occupancy)


@router.patch(
    "/occupancies/{occupancy_id}",
    response_model=OccupancyRead,
    summary="Correct an occupancy's period or end it (If-Match)",
)
async def update_occupancy(
    session: DbSession,
    response: Response,
    principal: Staff,
    occupancy_id: RecordId,
    body: OccupancyUpdate,
    if_match: IfMatch = None,
) -> OccupancyRead:
    occupancy = await service.update_occupancy(session, principal, occupancy_id, if_match, body)
    set_etag(response, occupancy.version)
    return OccupancyRead.model_validate(occupancy)
