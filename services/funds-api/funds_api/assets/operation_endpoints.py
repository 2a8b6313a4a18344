"""Routes of the asset survey (四个一批), asset income and its distribution, PV output and the asset overview."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import Query, Response, status

from dixian_shared import regioncode
from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, make_page
from dixian_shared.routing import DbSession, make_router
from funds_api.assets import operations
from funds_api.assets import operations_repository as repository
from funds_api.assets.enums import SurveyState
from funds_api.assets.operation_schemas import (
    AssetOverview,
    DistributionCreate,
    DistributionRead,
    IncomeCreate,
    IncomeRead,
    IncomeSummary,
    PvOutputCreate,
    PvOutputRead,
    PvReport,
    PvStationYear,
    SurveyCreate,
    SurveyHandling,
    SurveyRead,
)
from funds_api.deps import Paging, Reader, RecordId, RegionFilter, Rules, Staff, Today, region_in_scope
from funds_api.exporting import XLSX_RESPONSES, exportable
from funds_api.labels import PV_LABELS
from funds_api.values import FIRST_DAY, LAST_DAY

router = make_router(tags=["project assets"])

YearQuery = Annotated[int, Query(ge=2000, le=2100)]


@router.get(
    "/assets/overview",
    response_model=AssetOverview,
    summary="Assets in service by category, missing upkeep per level, survey findings by state",
)
async def asset_overview(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    today: Today,
    on: Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY, description="as of this day; today by default")] = None,
    region_code: RegionFilter = None,
) -> AssetOverview:
    return await operations.overview(session, principal, rules.assets, on or today, region_code)


@router.post(
    "/assets/{asset_id}/surveys",
    response_model=SurveyRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record an idle, damaged or inefficient operating asset found in the survey",
)
async def survey_asset(
    session: DbSession, response: Response, principal: Staff, today: Today, asset_id: RecordId, body: SurveyCreate
) -> SurveyRead:
    record = await operations.survey(session, principal, asset_id, body, today)
    response.headers["Location"] = f"/asset-surveys/{record.id}"
    set_etag(response, record.version)
    return SurveyRead.model_validate(record)


@router.get(
    "/asset-surveys",
    response_model=Page[SurveyRead],
    summary="Survey findings in the caller's region",
    responses=XLSX_RESPONSES,
)
@exportable("闲置低效资产", labels={"state": "处置状态"})
async def list_surveys(
    session: DbSession,
    principal: Reader,
    params: Paging,
    state: SurveyState | None = None,
    region_code: RegionFilter = None,
) -> Page[SurveyRead]:
    prefix = regioncode.prefix(region_code) if region_code else None
    rows = await repository.surveys(session, principal, params, state, prefix)
    items, cursor = make_page(rows, params, lambda s: [s.id])
    return Page(items=[SurveyRead.model_validate(s) for s in items], next_cursor=cursor)


@router.get("/asset-surveys/{survey_id}", response_model=SurveyRead, summary="A survey finding")
async def get_survey(session: DbSession, response: Response, principal: Reader, survey_id: RecordId) -> SurveyRead:
    record = await operations.require_survey(session, principal, survey_id)
    set_etag(response, record.version)
    return SurveyRead.model_validate(record)


@router.post(
    "/asset-surveys/{survey_id}/handling",
    response_model=SurveyRead,
    summary="Handle a finding by 四个一批 (巩固/升级/盘活/调整) with its outcome (If-Match)",
)
async def handle_survey(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    survey_id: RecordId,
    body: SurveyHandling,
    if_match: IfMatch = None,
) -> SurveyRead:
    record = await operations.handle(session, principal, survey_id, if_match, body, today)
    set_etag(response, record.version)
    return SurveyRead.model_validate(record)


@router.post(
    "/assets/{asset_id}/income",
    response_model=IncomeRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record income an asset earned (rent, power sales, dividends)",
)
async def record_income(
    session: DbSession, principal: Staff, today: Today, asset_id: RecordId, body: IncomeCreate
) -> IncomeRead:
    return IncomeRead.model_validate(await operations.record_income(session, principal, asset_id, body, today))


@router.post(
    "/asset-income/{income_id}/distributions",
    response_model=DistributionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Distribute asset income to a beneficiary group (never more than the income)",
)
async def distribute_income(
    session: DbSession, principal: Staff, today: Today, income_id: RecordId, body: DistributionCreate
) -> DistributionRead:
    return DistributionRead.model_validate(await operations.distribute(session, principal, income_id, body, today))


@router.get(
    "/asset-income/summary",
    response_model=IncomeSummary,
    summary="The year's asset income and distribution, with the share that reached special groups",
)
async def income_summary(
    session: DbSession, principal: Reader, year: YearQuery, region_code: RegionFilter = None
) -> IncomeSummary:
    return await operations.income_summary(session, principal, year, region_code)


@router.post(
    "/assets/{asset_id}/pv-output",
    response_model=PvOutputRead,
    status_code=status.HTTP_201_CREATED,
    summary="Report a photovoltaic station's output and income for a month (once per month)",
)
async def report_pv_output(
    session: DbSession, principal: Staff, today: Today, asset_id: RecordId, body: PvOutputCreate
) -> PvOutputRead:
    return PvOutputRead.model_validate(await operations.report_pv(session, principal, asset_id, body, today))


@router.get(
    "/pv-stations/output",
    response_model=PvReport,
    summary="Village photovoltaic stations: months reported, output and income in the year",
    responses=XLSX_RESPONSES,
)
@exportable("光伏电站", items=lambda report: report.stations, model=PvStationYear, labels=PV_LABELS)
async def pv_output(
    session: DbSession, principal: Reader, year: YearQuery, region_code: RegionFilter = None
) -> PvReport:
    region = region_in_scope(principal, region_code)
    rows = await repository.pv_year(session, principal, year, regioncode.prefix(region) if region else None)
    stations = [PvStationYear.model_validate(row._asdict()) for row in rows]
    return PvReport(
        year=year,
        stations=stations,
        output_kwh=sum((s.output_kwh for s in stations), Decimal(0)),
        income=sum((s.income for s in stations), Decimal(0)),
    )
