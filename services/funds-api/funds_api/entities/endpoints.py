"""Routes of business entities, industrial bases, 联农带农 links and their overview."""

from typing import Annotated

from fastapi import Query, Response, status

from dixian_shared import regioncode
from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, make_page
from dixian_shared.routing import DbSession, make_router
from funds_api.deps import Paging, Reader, RecordId, RegionFilter, Rules, Staff
from funds_api.entities import repository, service
from funds_api.entities.schemas import (
    BaseCreate,
    BaseRead,
    BaseUpdate,
    EntityCreate,
    EntityOverview,
    EntityRead,
    EntityUpdate,
    LinkCreate,
    LinkRead,
)
from funds_api.exporting import XLSX_RESPONSES, exportable

router = make_router(tags=["business entities"])

YearFilter = Annotated[int | None, Query(ge=2000, le=2100, description="operating at some time in this year")]
EntityFilter = Annotated[int | None, Query(ge=1, le=2**62)]


def _prefix(region_code: str | None) -> str | None:
    return regioncode.prefix(region_code) if region_code else None


@router.post("/entities", response_model=EntityRead, status_code=status.HTTP_201_CREATED, summary="Record an entity")
async def create_entity(session: DbSession, response: Response, principal: Staff, body: EntityCreate) -> EntityRead:
    entity = await service.create_entity(session, principal, body)
    response.headers["Location"] = f"/entities/{entity.id}"
    set_etag(response, entity.version)
    return EntityRead.model_validate(entity)


@router.get(
    "/entities",
    response_model=Page[EntityRead],
    summary="Business entities (经营主体) in the region",
    responses=XLSX_RESPONSES,
)
@exportable("经营主体", labels={"kind": "主体类型"})
async def list_entities(
    session: DbSession, principal: Reader, params: Paging, region_code: RegionFilter = None, year: YearFilter = None
) -> Page[EntityRead]:
    rows = await repository.list_entities(session, principal, params, _prefix(region_code), year)
    items, cursor = make_page(rows, params, lambda e: [e.id])
    return Page(items=[EntityRead.model_validate(e) for e in items], next_cursor=cursor)


@router.get(
    "/entities/overview",
    response_model=EntityOverview,
    summary="Bases per key-assistance village (≥ 1) and the year's totals against the baseline year (2023)",
)
async def entity_overview(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    year: Annotated[int, Query(ge=2000, le=2100)],
    region_code: RegionFilter = None,
) -> EntityOverview:
    return await service.overview(session, principal, rules.entities, year, region_code)


@router.get("/entities/{entity_id}", response_model=EntityRead, summary="A business entity")
async def get_entity(session: DbSession, response: Response, principal: Reader, entity_id: RecordId) -> EntityRead:
    entity = await service.require_entity(session, principal, entity_id)
    set_etag(response, entity.version)
    return EntityRead.model_validate(entity)


@router.patch("/entities/{entity_id}", response_model=EntityRead, summary="Correct an entity (If-Match)")
async def update_entity(
    session: DbSession,
    response: Response,
    principal: Staff,
    entity_id: RecordId,
    body: EntityUpdate,
    if_match: IfMatch = None,
) -> EntityRead:
    entity = await service.update_entity(session, principal, entity_id, if_match, body)
    set_etag(response, entity.version)
    return EntityRead.model_validate(entity)


@router.post(
    "/entities/{entity_id}/links",
    response_model=LinkRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a year's 联农带农 of one kind (jobs, land rent, sales, shares, dividends)",
)
async def record_link(
    session: DbSession, response: Response, principal: Staff, entity_id: RecordId, body: LinkCreate
) -> LinkRead:
    link = await service.record_link(session, principal, entity_id, body)
    response.headers["Location"] = f"/farmer-links?entity_id={entity_id}"
    return LinkRead.model_validate(link)


@router.get(
    "/farmer-links", response_model=Page[LinkRead], summary="联农带农 records in the region", responses=XLSX_RESPONSES
)
@exportable("联农带农", labels={"kind": "带动方式", "amount": "带动金额"})
async def list_links(
    session: DbSession,
    principal: Reader,
    params: Paging,
    region_code: RegionFilter = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    entity_id: EntityFilter = None,
) -> Page[LinkRead]:
    rows = await repository.list_links(session, principal, params, _prefix(region_code), year, entity_id)
    items, cursor = make_page(rows, params, lambda link: [link.id])
    return Page(items=[LinkRead.model_validate(link) for link in items], next_cursor=cursor)


@router.post("/industrial-bases", response_model=BaseRead, status_code=status.HTTP_201_CREATED, summary="Record a base")
async def create_base(session: DbSession, response: Response, principal: Staff, body: BaseCreate) -> BaseRead:
    base = await service.create_base(session, principal, body)
    response.headers["Location"] = f"/industrial-bases/{base.id}"
    set_etag(response, base.version)
    return BaseRead.model_validate(base)


@router.get(
    "/industrial-bases",
    response_model=Page[BaseRead],
    summary="Industrial bases (产业基地) in the region",
    responses=XLSX_RESPONSES,
)
@exportable("产业基地")
async def list_bases(
    session: DbSession,
    principal: Reader,
    params: Paging,
    region_code: RegionFilter = None,
    year: YearFilter = None,
    entity_id: EntityFilter = None,
) -> Page[BaseRead]:
    rows = await repository.list_bases(session, principal, params, _prefix(region_code), year, entity_id)
    items, cursor = make_page(rows, params, lambda b: [b.id])
    return Page(items=[BaseRead.model_validate(b) for b in items], next_cursor=cursor)


@router.get("/industrial-bases/{base_id}", response_model=BaseRead, summary="An industrial base")
async def get_base(session: DbSession, response: Response, principal: Reader, base_id: RecordId) -> BaseRead:
    base = await service.require_base(session, principal, base_id)
    set_etag(response, base.version)
    return BaseRead.model_validate(base)


@router.patch("/industrial-bases/{base_id}", response_model=BaseRead, summary="Correct or close a base (If-Match)")
async def update_base(
    session: DbSession,
    response: Response,
    principal: Staff,
    base_id: RecordId,
    body: BaseUpdate,
    if_match: IfMatch = None,
) -> BaseRead:
    base = await service.update_base(session, principal, base_id, if_match, body)
    set_etag(response, base.version)
    return BaseRead.model_validate(base)
