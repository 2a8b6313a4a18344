"""Routes of consumption assistance: purchases and the year's total against the goal."""

from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared import regioncode
from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, make_page
from dixian_shared.routing import DbSession, make_router
from funds_api.deps import Paging, Reader, RecordId, RegionFilter, Rules, Today
from funds_api.exporting import XLSX_RESPONSES, exportable
from funds_api.purchases import repository, service
from funds_api.purchases.schemas import PurchaseCreate, PurchaseRead, PurchaseSummary, PurchaseUpdate
from funds_api.registry import RegistryLink

router = make_router(tags=["consumption assistance"])

# Government units record what they bought: the district office, departments and towns.
Buyer = Annotated[Principal, Depends(require_roles(Role.district, Role.department, Role.town))]
YearQuery = Annotated[int, Query(ge=2000, le=2100)]


@router.post(
    "/purchases",
    response_model=PurchaseRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a purchase (消费帮扶) from a lifted household (checked in the registry) or an entity",
)
async def record_purchase(
    session: DbSession,
    response: Response,
    principal: Buyer,
    registry: RegistryLink,
    rules: Rules,
    today: Today,
    body: PurchaseCreate,
) -> PurchaseRead:
    purchase = await service.record(session, principal, registry, body, rules.purchases, today)
    response.headers["Location"] = f"/purchases/{purchase.id}"
    set_etag(response, purchase.version)
    return PurchaseRead.model_validate(purchase)


@router.get(
    "/purchases",
    response_model=Page[PurchaseRead],
    summary="Purchases sold from the caller's region",
    responses=XLSX_RESPONSES,
)
@exportable("消费帮扶")
async def list_purchases(
    session: DbSession,
    principal: Reader,
    params: Paging,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    region_code: RegionFilter = None,
) -> Page[PurchaseRead]:
    prefix = regioncode.prefix(region_code) if region_code else None
    rows = await repository.page(session, principal, params, year, prefix)
    items, cursor = make_page(rows, params, lambda p: [p.id])
    return Page(items=[PurchaseRead.model_validate(p) for p in items], next_cursor=cursor)


@router.get(
    "/purchases/summary",
    response_model=PurchaseSummary,
    summary="The year's purchases in total against the goal (≥ 430,000 yuan), by seller type and buying unit",
)
async def purchase_summary(
    session: DbSession, principal: Reader, rules: Rules, year: YearQuery, region_code: RegionFilter = None
) -> PurchaseSummary:
    return await service.summary(session, principal, rules.purchases, year, region_code)


@router.get("/purchases/{purchase_id}", response_model=PurchaseRead, summary="A purchase")
async def get_purchase(
    session: DbSession, response: Response, principal: Reader, purchase_id: RecordId
) -> PurchaseRead:
    purchase = await service.require(session, principal, purchase_id)
    set_etag(response, purchase.version)
    return PurchaseRead.model_validate(purchase)


@router.patch("/purchases/{purchase_id}", response_model=PurchaseRead, summary="Correct product or note (If-Match)")
async def update_purchase(
    session: DbSession,
    response: Response,
    principal: Buyer,
    purchase_id: RecordId,
    body: PurchaseUpdate,
    if_match: IfMatch = None,
) -> PurchaseRead:
    purchase = await service.update(session, principal, purchase_id, if_match, body)
    set_etag(response, purchase.version)
    return PurchaseRead.model_validate(purchase)
