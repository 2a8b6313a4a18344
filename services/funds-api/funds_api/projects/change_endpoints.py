"""Routes of project changes (项目变更) and of budget and settlement reviews (预算评审/结算评审)."""

from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from funds_api.deps import District, Reader, RecordId, Staff, Today, Treasurer
from funds_api.exporting import XLSX_RESPONSES, exportable
from funds_api.labels import CHANGE_LABELS
from funds_api.projects import changes, reviews
from funds_api.projects.enums import ChangeStatus
from funds_api.projects.schemas import ChangeCreate, ChangeDecision, ChangeRead, ReviewCreate, ReviewRead

router = make_router(tags=["project changes and reviews"])

Paging = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/projects/{project_id}/changes",
    response_model=ChangeRead,
    status_code=status.HTTP_201_CREATED,
    summary="Ask for a change of an approved project (fields after, reason); nothing changes until approval",
)
async def request_change(
    session: DbSession, response: Response, principal: Staff, today: Today, project_id: RecordId, body: ChangeCreate
) -> ChangeRead:
    change = await changes.request(session, principal, project_id, body, today=today)
    response.headers["Location"] = f"/project-changes/{change.id}"
    set_etag(response, change.version)
    return ChangeRead.model_validate(change)


@router.get(
    "/project-changes",
    response_model=Page[ChangeRead],
    summary="Project changes, oldest first",
    responses=XLSX_RESPONSES,
)
@exportable("项目变更", labels=CHANGE_LABELS)
async def list_changes(
    session: DbSession,
    principal: Reader,
    params: Paging,
    project_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    change_status: Annotated[ChangeStatus | None, Query(alias="status")] = None,
) -> Page[ChangeRead]:
    rows = await changes.list_changes(session, principal, params, project_id=project_id, status=change_status)
    items, cursor = make_page(rows, params, lambda c: [c.id])
    return Page(items=[ChangeRead.model_validate(c) for c in items], next_cursor=cursor)


@router.get("/project-changes/{change_id}", response_model=ChangeRead, summary="A project change")
async def get_change(session: DbSession, response: Response, principal: Reader, change_id: RecordId) -> ChangeRead:
    change = await changes.require_change(session, principal, change_id)
    set_etag(response, change.version)
    return ChangeRead.model_validate(change)


@router.post(
    "/project-changes/{change_id}/decision",
    response_model=ChangeRead,
    summary="The district approves (and so applies) or refuses a change",
)
async def decide(
    session: DbSession,
    response: Response,
    principal: District,
    today: Today,
    change_id: RecordId,
    body: ChangeDecision,
    if_match: IfMatch = None,
) -> ChangeRead:
    change = await changes.decide(session, principal, change_id, body, if_match=if_match, today=today)
    set_etag(response, change.version)
    return ChangeRead.model_validate(change)


@router.post(
    "/projects/{project_id}/reviews",
    response_model=ReviewRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a budget review (预算评审) or a settlement review (结算评审) of a project",
)
async def record_review(
    session: DbSession, principal: Treasurer, today: Today, project_id: RecordId, body: ReviewCreate
) -> ReviewRead:
    return ReviewRead.model_validate(await reviews.record(session, principal, project_id, body, today=today))


@router.get("/projects/{project_id}/reviews", response_model=list[ReviewRead], summary="A project's reviews")
async def list_reviews(session: DbSession, principal: Reader, project_id: RecordId) -> list[ReviewRead]:
    return [ReviewRead.model_validate(r) for r in await reviews.list_reviews(session, principal, project_id)]
