"""Routes of the employment targets."""

from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Query

from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from employment_api.deps import Rules, Staff
from employment_api.exporting import XLSX_RESPONSES, exportable
from employment_api.labels import LEDGER_LABELS, TARGET_LABELS
from employment_api.months import Month
from employment_api.places import region_in_scope
from employment_api.targets import repository, service
from employment_api.targets.definitions import TARGETS
from employment_api.targets.schemas import PlaceFigures, PlaceRow, TargetPerson, TargetReport, ZeroEmploymentHousehold

router = make_router(tags=["targets"])

Target = StrEnum("Target", {t: t for t in TARGETS})  # type: ignore[misc]
RegionFilter = Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")]


def places(report: TargetReport) -> list[PlaceFigures]:
    """The rows of the targets' export: each village, each town, then the caller's whole region."""
    return [*report.villages, *report.towns, report.total]


@router.get(
    "/targets/{month}",
    response_model=TargetReport,
    summary="Employed lifted labourers, public-welfare jobs, workshops, zero-employment households: per place",
    responses=XLSX_RESPONSES,
)
@exportable("就业指标", items=places, model=PlaceRow, labels=TARGET_LABELS)
async def targets(
    session: DbSession, principal: Staff, rules: Rules, month: Month, region_code: RegionFilter = None
) -> TargetReport:
    # Another region's report would be all zeros under that region's name: a 404, as for the subsidy totals.
    region = region_in_scope(principal, region_code) if region_code is not None else None
    return await service.report(session, principal, month, rules, region)


@router.get(
    "/targets/{month}/people",
    response_model=Page[TargetPerson],
    summary="The people behind a figure",
    responses=XLSX_RESPONSES,
)
@exportable("指标人员", labels=LEDGER_LABELS)
async def target_people(
    session: DbSession,
    principal: Staff,
    rules: Rules,
    month: Month,
    target: Target,
    params: Annotated[PageParams, Depends(page_params)],
    region_code: RegionFilter = None,
) -> Page[TargetPerson]:
    rows = await repository.people(session, principal, month, rules, str(target.value), params, region_code)
    items, cursor = make_page(rows, params, lambda row: [row.region_code, row.labourer_id])
    return Page(items=[TargetPerson.model_validate(row, from_attributes=True) for row in items], next_cursor=cursor)


@router.get(
    "/targets/{month}/zero-employment-households",
    response_model=Page[ZeroEmploymentHousehold],
    summary="零就业家庭: households with labourers on the roster and nobody employed that month",
    responses=XLSX_RESPONSES,
)
@exportable("零就业家庭")
async def zero_employment(
    session: DbSession,
    principal: Staff,
    rules: Rules,
    month: Month,
    params: Annotated[PageParams, Depends(page_params)],
    region_code: RegionFilter = None,
) -> Page[ZeroEmploymentHousehold]:
    rows = await repository.zero_households(session, principal, month, rules, params, region_code)
    items, cursor = make_page(rows, params, lambda row: [row.region_code, row.household_id])
    return Page(
        items=[ZeroEmploymentHousehold.model_validate(row, from_attributes=True) for row in items], next_cursor=cursor
    )
