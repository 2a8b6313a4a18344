"""Routes of risk elimination: open it, record verification, notice and district approval."""

from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.exports import XLSX_RESPONSES, exportable
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from monitoring_api.deps import Reader, RecordId, Rules, Today, Writer
from monitoring_api.elimination import ready, service
from monitoring_api.elimination.enums import EliminationKind, EliminationStatus
from monitoring_api.elimination.models import Elimination
from monitoring_api.elimination.schemas import (
    ApprovalStep,
    EliminationCreate,
    EliminationDetail,
    EliminationRead,
    NoticeStep,
    ReadyItem,
    TownReviewStep,
    VerificationStep,
)

router = make_router(tags=["elimination"])

Paging = Annotated[PageParams, Depends(page_params)]


async def _detail(
    session: DbSession, principal: Principal, response: Response, elimination: Elimination
) -> EliminationDetail:
    loaded = await service.require_elimination(session, principal, elimination.id, with_steps=True)
    set_etag(response, loaded.version)
    return EliminationDetail.model_validate(loaded)


@router.post(
    "/households/{household_id}/eliminations",
    response_model=EliminationDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Open a risk elimination (风险消除); refused with every failed precondition",
)
async def open_elimination(
    session: DbSession,
    response: Response,
    principal: Writer,
    rules: Rules,
    today: Today,
    household_id: RecordId,
    body: EliminationCreate,
) -> EliminationDetail:
    elimination = await service.open_elimination(session, principal, household_id, body, rules, today)
    response.headers["Location"] = f"/eliminations/{elimination.id}"
    return await _detail(session, principal, response, elimination)


@router.get(
    "/households/{household_id}/eliminations",
    response_model=Page[EliminationRead],
    summary="A household's eliminations, approved or not",
)
async def list_household_eliminations(
    session: DbSession, principal: Reader, household_id: RecordId, params: Paging
) -> Page[EliminationRead]:
    rows = await service.list_eliminations(session, principal, params, household_id=household_id)
    items, cursor = make_page(rows, params, lambda e: [e.id])
    return Page(items=[EliminationRead.model_validate(e) for e in items], next_cursor=cursor)


@router.get(
    "/eliminations",
    responses=XLSX_RESPONSES,
    response_model=Page[EliminationRead],
    summary="Eliminations in the caller's region",
)
@exportable("风险消除")
async def list_eliminations(
    session: DbSession,
    principal: Reader,
    params: Paging,
    region_code: Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")] = None,
    elimination_status: Annotated[EliminationStatus | None, Query(alias="status")] = None,
    kind: EliminationKind | None = None,
) -> Page[EliminationRead]:
    rows = await service.list_eliminations(
        session, principal, params, region_code=region_code, status=elimination_status, kind=kind
    )
    items, cursor = make_page(rows, params, lambda e: [e.id])
    return Page(items=[EliminationRead.model_validate(e) for e in items], next_cursor=cursor)


@router.get(
    "/eliminations/ready",
    response_model=Page[ReadyItem],
    summary="Subjects meeting every elimination precondition the data decides: ready to be proposed",
)
async def ready_to_propose(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    today: Today,
    params: Paging,
    region_code: Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")] = None,
) -> Page[ReadyItem]:
    rows = await ready.ready_to_propose(session, principal, params, rules=rules, today=today, region_code=region_code)
    items, cursor = make_page(rows, params, lambda r: [r.household.id])
    return Page(
        items=[
            ReadyItem(
                household_id=r.household.id,
                region_code=r.household.region_code,
                head_name=r.household.head_name,
                category=r.household.category.value,
                included_on=r.household.included_on,
                risk_causes=list(r.household.risk_causes or []),
                evidence=r.evaluation.evidence,
            )
            for r in items
        ],
        next_cursor=cursor,
    )


@router.get("/eliminations/{elimination_id}", response_model=EliminationDetail, summary="An elimination and its steps")
async def get_elimination(
    session: DbSession, response: Response, principal: Reader, elimination_id: RecordId
) -> EliminationDetail:
    elimination = await service.require_elimination(session, principal, elimination_id, with_steps=True)
    set_etag(response, elimination.version)
    return EliminationDetail.model_validate(elimination)


@router.post(
    "/eliminations/{elimination_id}/verification",
    response_model=EliminationDetail,
    summary="Record the home verification (入户核实), village staff only (If-Match)",
)
async def record_verification(
    session: DbSession,
    response: Response,
    principal: Writer,
    today: Today,
    elimination_id: RecordId,
    body: VerificationStep,
    if_match: IfMatch = None,
) -> EliminationDetail:
    elimination = await service.record_verification(session, principal, elimination_id, if_match, body, today)
    return await _detail(session, principal, response, elimination)


@router.post(
    "/eliminations/{elimination_id}/notice",
    response_model=EliminationDetail,
    summary="Record the village appraisal and public notice (民主评议/公示), village staff only (If-Match)",
)
async def record_notice(
    session: DbSession,
    response: Response,
    principal: Writer,
    rules: Rules,
    today: Today,
    elimination_id: RecordId,
    body: NoticeStep,
    if_match: IfMatch = None,
) -> EliminationDetail:
    elimination = await service.record_notice(session, principal, elimination_id, if_match, body, rules, today)
    return await _detail(session, principal, response, elimination)


@router.post(
    "/eliminations/{elimination_id}/town-review",
    response_model=EliminationDetail,
    summary="Record the town review (乡镇审核), town staff only (If-Match); disagreeing ends the elimination",
)
async def record_town_review(
    session: DbSession,
    response: Response,
    principal: Writer,
    today: Today,
    elimination_id: RecordId,
    body: TownReviewStep,
    if_match: IfMatch = None,
) -> EliminationDetail:
    elimination = await service.record_town_review(session, principal, elimination_id, if_match, body, today)
    return await _detail(session, principal, response, elimination)


@router.post(
    "/eliminations/{elimination_id}/approval",
    response_model=EliminationDetail,
    summary="District decision (区级审定), district staff only (If-Match); approval marks the risk eliminated",
)
async def record_approval(
    session: DbSession,
    response: Response,
    principal: Writer,
    rules: Rules,
    today: Today,
    elimination_id: RecordId,
    body: ApprovalStep,
    if_match: IfMatch = None,
) -> EliminationDetail:
    elimination = await service.record_approval(session, principal, elimination_id, if_match, body, rules, today)
    return await _detail(session, principal, response, elimination)
