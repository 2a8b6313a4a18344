"""Routes of monthly assessment: record, change, town review, and what is overdue."""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Query, Response, status
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.exports import XLSX_RESPONSES, exportable
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from monitoring_api.assessments import months, service
from monitoring_api.assessments.enums import Outcome, OverdueKind
from monitoring_api.assessments.models import Assessment
from monitoring_api.assessments.months import Month
from monitoring_api.assessments.schemas import (
    AssessmentCreate,
    AssessmentDetail,
    AssessmentRead,
    AssessmentUpdate,
    OverdueCounts,
    OverdueItem,
    OverdueReport,
    RegionOverdue,
    ReviewCreate,
    ReviewRead,
)
from monitoring_api.deps import Reader, RecordId, Rules, Today

router = make_router(tags=["assessments"])

RegionFilter = Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")]
COUNT_FIELD = {
    OverdueKind.watch_not_reassessed: "watch_not_reassessed",
    OverdueKind.not_now_unreviewed: "not_now_unreviewed",
}


async def _detail(session: AsyncSession, assessment: Assessment) -> AssessmentDetail:
    reviewed = assessment.review
    was_not_now = assessment.outcome == Outcome.not_now or (
        reviewed is not None and reviewed.outcome_before == Outcome.not_now
    )
    return AssessmentDetail(
        **AssessmentRead.model_validate(assessment).model_dump(),
        review=ReviewRead.model_validate(reviewed) if reviewed is not None else None,
        review_due_on=months.last_day(assessment.month) if was_not_now else None,
        inclusion_case_id=await service.opened_case_id(session, assessment.id),
    )


@router.post(
    "/assessments",
    response_model=AssessmentDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Record a household's assessment for a month (village); with If-Match, replace it",
    responses={200: {"description": "the month's assessment was replaced (If-Match)"}},
)
async def record_assessment(
    session: DbSession,
    response: Response,
    principal: Reader,
    today: Today,
    body: AssessmentCreate,
    if_match: IfMatch = None,
) -> AssessmentDetail:
    assessment, created = await service.record_assessment(session, principal, body, if_match, today)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/assessments/{assessment.id}"
    set_etag(response, assessment.version)
    return await _detail(session, assessment)


@router.get(
    "/assessments",
    responses=XLSX_RESPONSES,
    response_model=Page[AssessmentRead],
    summary="Assessments in the caller's region",
)
@exportable("研判")
async def list_assessments(
    session: DbSession,
    principal: Reader,
    params: Annotated[PageParams, Depends(page_params)],
    region_code: RegionFilter = None,
    household_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    month: Annotated[Month | None, Query(description="YYYY-MM")] = None,
    outcome: Outcome | None = None,
) -> Page[AssessmentRead]:
    rows = await service.list_assessments(
        session, principal, params, region_code=region_code, household_id=household_id, month=month, outcome=outcome
    )
    items, cursor = make_page(rows, params, lambda a: [a.id])
    return Page(items=[AssessmentRead.model_validate(a) for a in items], next_cursor=cursor)


@router.get(
    "/assessments/overdue",
    responses=XLSX_RESPONSES,
    response_model=OverdueReport,
    summary="What is overdue per village and town: 持续关注 not re-assessed, 暂不纳入 not reviewed by month end",
)
@exportable("研判逾期")
async def overdue(
    session: DbSession,
    principal: Reader,
    today: Today,
    rules: Rules,
    params: Annotated[PageParams, Depends(page_params)],
    region_code: RegionFilter = None,
) -> OverdueReport:
    villages, towns, rows = await service.overdue(
        session, principal, params, today=today, rules=rules, region_code=region_code
    )
    totals = OverdueCounts()
    for row in villages:
        field = COUNT_FIELD[OverdueKind(row.kind)]
        setattr(totals, field, getattr(totals, field) + row.count)
    items, cursor = make_page(rows, params, lambda r: [r.region_code, r.assessment_id])
    return OverdueReport(
        as_of=today,
        totals=totals,
        towns=_by_region(towns),
        villages=_by_region(villages),
        items=[OverdueItem.model_validate(row, from_attributes=True) for row in items],
        next_cursor=cursor,
    )


def _by_region(rows: Sequence[Row[*tuple[Any, ...]]]) -> list[RegionOverdue]:
    regions: dict[str, RegionOverdue] = {}
    for row in rows:
        entry = regions.setdefault(row.region_code, RegionOverdue(region_code=row.region_code, name=row.name))
        setattr(entry, COUNT_FIELD[OverdueKind(row.kind)], row.count)
    return list(regions.values())


@router.get("/assessments/{assessment_id}", response_model=AssessmentDetail, summary="An assessment with its review")
async def get_assessment(
    session: DbSession, response: Response, principal: Reader, assessment_id: RecordId
) -> AssessmentDetail:
    assessment = await service.require_assessment(session, principal, assessment_id)
    set_etag(response, assessment.version)
    return await _detail(session, assessment)


@router.patch(
    "/assessments/{assessment_id}", response_model=AssessmentDetail, summary="Change an assessment (If-Match)"
)
async def update_assessment(
    session: DbSession,
    response: Response,
    principal: Reader,
    today: Today,
    assessment_id: RecordId,
    body: AssessmentUpdate,
    if_match: IfMatch = None,
) -> AssessmentDetail:
    assessment = await service.update_assessment(session, principal, assessment_id, if_match, body, today)
    set_etag(response, assessment.version)
    return await _detail(session, assessment)


@router.post(
    "/assessments/{assessment_id}/town-review",
    response_model=AssessmentDetail,
    status_code=status.HTTP_201_CREATED,
    summary="The town's review of a 暂不纳入 decision (town users)",
)
async def review_assessment(
    session: DbSession,
    response: Response,
    principal: Reader,
    today: Today,
    assessment_id: RecordId,
    body: ReviewCreate,
) -> AssessmentDetail:
    assessment = await service.review_assessment(session, principal, assessment_id, body, today)
    set_etag(response, assessment.version)
    return await _detail(session, assessment)
