"""Routes of 雨露计划+ participants, followed by milestones from school to a job."""

from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from employment_api.deps import RecordId, Staff, Today
from employment_api.exporting import XLSX_RESPONSES, exportable
from employment_api.training import yulu_service as service
from employment_api.training.enums import YuluStage
from employment_api.training.schemas import (
    MilestoneCreate,
    MilestoneRead,
    ParticipantCreate,
    ParticipantRead,
    ParticipantUpdate,
)

router = make_router(tags=["雨露计划+"])

Paging = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/yulu-participants",
    response_model=ParticipantRead,
    status_code=status.HTTP_201_CREATED,
    summary="Follow a 雨露计划+ student (starts 在读)",
)
async def follow(
    session: DbSession, response: Response, principal: Staff, today: Today, body: ParticipantCreate
) -> ParticipantRead:
    participant = await service.follow(session, principal, body, today)
    response.headers["Location"] = f"/yulu-participants/{participant.id}"
    set_etag(response, participant.version)
    return ParticipantRead.model_validate(participant)


@router.get(
    "/yulu-participants",
    response_model=Page[ParticipantRead],
    summary="雨露计划+ participants of the caller's villages, by current stage (e.g. stage=毕业&stage=待业)",
    responses=XLSX_RESPONSES,
)
@exportable("雨露计划")
async def list_participants(
    session: DbSession,
    principal: Staff,
    params: Paging,
    stage: Annotated[list[YuluStage] | None, Query(description="only these current stages")] = None,
    region_code: Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")] = None,
) -> Page[ParticipantRead]:
    rows = await service.list_participants(session, principal, params, stages=stage or (), region_code=region_code)
    items, cursor = make_page(rows, params, lambda p: [p.id])
    return Page(items=[ParticipantRead.model_validate(p) for p in items], next_cursor=cursor)


@router.get("/yulu-participants/{participant_id}", response_model=ParticipantRead, summary="A participant")
async def get_participant(
    session: DbSession, response: Response, principal: Staff, participant_id: RecordId
) -> ParticipantRead:
    participant = await service.require_participant(session, principal, participant_id)
    set_etag(response, participant.version)
    return ParticipantRead.model_validate(participant)


@router.patch(
    "/yulu-participants/{participant_id}",
    response_model=ParticipantRead,
    summary="Correct a participant or link them to the roster (If-Match)",
)
async def update_participant(
    session: DbSession,
    response: Response,
    principal: Staff,
    participant_id: RecordId,
    body: ParticipantUpdate,
    if_match: IfMatch = None,
) -> ParticipantRead:
    participant = await service.update_participant(session, principal, participant_id, if_match, body)
    set_etag(response, participant.version)
    return ParticipantRead.model_validate(participant)


@router.post(
    "/yulu-participants/{participant_id}/milestones",
    response_model=MilestoneRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record the next step from school to a job (毕业, 就业, 待业, 升学 …)",
)
async def add_milestone(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    participant_id: RecordId,
    body: MilestoneCreate,
) -> MilestoneRead:
    participant, milestone = await service.add_milestone(session, principal, participant_id, body, today)
    set_etag(response, participant.version)
    return MilestoneRead.model_validate(milestone)


@router.get(
    "/yulu-participants/{participant_id}/milestones",
    response_model=Page[MilestoneRead],
    summary="A participant's way from school to a job",
)
async def list_milestones(
    session: DbSession, principal: Staff, participant_id: RecordId, params: Paging
) -> Page[MilestoneRead]:
    rows = await service.list_milestones(session, principal, participant_id, params)
    items, cursor = make_page(rows, params, lambda m: [m.id])
    return Page(items=[MilestoneRead.model_validate(m) for m in items], next_cursor=cursor)
