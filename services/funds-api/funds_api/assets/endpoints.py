"""Routes of project assets: registration, ledgers, upkeep records and missing upkeep."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import Query, Response, status

from dixian_shared import regioncode
from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, make_page
from dixian_shared.routing import DbSession, make_router
from funds_api.assets import repository, service
from funds_api.assets.enums import AssetCategory, LedgerLevel, UpkeepLevel
from funds_api.assets.schemas import (
    AssetCreate,
    AssetRead,
    AssetUpdate,
    Ledger,
    LedgerLine,
    MissingUpkeep,
    MissingUpkeepPage,
    UpkeepCreate,
    UpkeepRead,
)
from funds_api.deps import Paging, Reader, RecordId, RegionFilter, Rules, Staff, Today, region_in_scope
from funds_api.exporting import XLSX_RESPONSES, exportable
from funds_api.labels import LEDGER_LABELS, UPKEEP_LABELS
from funds_api.values import FIRST_DAY, LAST_DAY

router = make_router(tags=["project assets"])


@router.post(
    "/assets",
    response_model=AssetRead,
    status_code=status.HTTP_201_CREATED,
    summary="Register an asset a completed project formed (also done with the project's completion)",
)
async def register_asset(
    session: DbSession, response: Response, principal: Staff, today: Today, body: AssetCreate
) -> AssetRead:
    asset = await service.register(session, principal, body, today)
    response.headers["Location"] = f"/assets/{asset.id}"
    set_etag(response, asset.version)
    return AssetRead.model_validate(asset)


@router.get(
    "/assets",
    response_model=Page[AssetRead],
    summary="Project assets kept in the caller's region",
    responses=XLSX_RESPONSES,
)
@exportable("项目资产")
async def list_assets(
    session: DbSession,
    principal: Reader,
    params: Paging,
    region_code: RegionFilter = None,
    ledger_level: LedgerLevel | None = None,
    category: AssetCategory | None = None,
    project_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Page[AssetRead]:
    prefix = regioncode.prefix(region_code) if region_code else None
    rows = await repository.page(
        session,
        principal,
        params,
        prefix,
        ledger_level=ledger_level,
        category=category,
        project_id=project_id,
    )
    items, cursor = make_page(rows, params, lambda a: [a.id])
    return Page(items=[AssetRead.model_validate(a) for a in items], next_cursor=cursor)


@router.get(
    "/assets/ledger",
    response_model=Ledger,
    summary="The ledger of a level (区级/部门/乡镇/村级): assets in service per keeper and category, with totals",
    responses=XLSX_RESPONSES,
)
@exportable("资产台账", items=lambda ledger: ledger.lines, model=LedgerLine, labels=LEDGER_LABELS)
async def ledger(
    session: DbSession,
    principal: Reader,
    level: Annotated[LedgerLevel, Query()],
    region_code: RegionFilter = None,
) -> Ledger:
    lines = await service.ledger(session, principal, level, region_in_scope(principal, region_code))
    return Ledger(
        level=level,
        lines=lines,
        assets=sum(line.assets for line in lines),
        value=sum((line.value for line in lines), Decimal(0)),
    )


@router.get(
    "/assets/upkeep/overdue",
    response_model=MissingUpkeepPage,
    summary="Assets missing their 村级管护 (monthly), 乡镇巡查 (quarterly) or 区级督导 (half-yearly) record",
    responses=XLSX_RESPONSES,
)
@exportable("管护逾期", labels=UPKEEP_LABELS)
async def overdue_upkeep(
    session: DbSession,
    principal: Reader,
    params: Paging,
    rules: Rules,
    today: Today,
    on: Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY, description="as of this day; today by default")] = None,
    region_code: RegionFilter = None,
) -> MissingUpkeepPage:
    rows, counts = await service.missing_page(session, principal, params, rules.assets, on or today, region_code)
    items, cursor = make_page(rows, params, lambda r: [r.period_end, r.level, r.asset_id])
    return MissingUpkeepPage(
        items=[MissingUpkeep.model_validate(r._asdict()) for r in items],
        next_cursor=cursor,
        counts={level: counts.get(level.value, 0) for level in UpkeepLevel},
    )


@router.get("/assets/{asset_id}", response_model=AssetRead, summary="An asset")
async def get_asset(session: DbSession, response: Response, principal: Reader, asset_id: RecordId) -> AssetRead:
    asset = await service.require(session, principal, asset_id)
    set_etag(response, asset.version)
    return AssetRead.model_validate(asset)


@router.patch("/assets/{asset_id}", response_model=AssetRead, summary="Correct an asset or record its disposal")
async def update_asset(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    asset_id: RecordId,
    body: AssetUpdate,
    if_match: IfMatch = None,
) -> AssetRead:
    asset = await service.update(session, principal, asset_id, if_match, body, today)
    set_etag(response, asset.version)
    return AssetRead.model_validate(asset)


@router.post(
    "/assets/{asset_id}/upkeep",
    response_model=UpkeepRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record upkeep: 村级管护 by the village, 乡镇巡查 by the town, 区级督导 by the district",
)
async def record_upkeep(
    session: DbSession, principal: Staff, today: Today, asset_id: RecordId, body: UpkeepCreate
) -> UpkeepRead:
    return UpkeepRead.model_validate(await service.record_upkeep(session, principal, asset_id, body, today))


@router.get("/assets/{asset_id}/upkeep", response_model=list[UpkeepRead], summary="An asset's upkeep records")
async def list_upkeep(session: DbSession, principal: Reader, asset_id: RecordId) -> list[UpkeepRead]:
    asset = await service.require(session, principal, asset_id)
    return [UpkeepRead.model_validate(r) for r in await repository.upkeep_records(session, asset.id)]
