"""Routes of training-needs surveys (and who is overdue), trainings and their attendance."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared import regioncode
from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from employment_api.deps import RecordId, Rules, Staff, Today
from employment_api.exporting import XLSX_RESPONSES, exportable
from employment_api.labels import ATTENDANCE_LABELS
from employment_api.places import region_in_scope
from employment_api.training import service
from employment_api.training.enums import TrainingKind
from employment_api.training.schemas import (
    AttendanceCreate,
    AttendanceItem,
    AttendanceRead,
    AttendanceUpdate,
    SurveyCreate,
    SurveyDue,
    SurveyItem,
    SurveyRead,
    SurveyUpdate,
    TrainingCreate,
    TrainingRead,
    TrainingUpdate,
)

router = make_router(tags=["training"])

Paging = Annotated[PageParams, Depends(page_params)]
RegionFilter = Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")]
LabourerFilter = Annotated[int | None, Query(ge=1, le=2**62, description="the roster's labourer id")]


@router.post(
    "/training-surveys",
    response_model=SurveyRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a labourer's training-needs survey (培训需求调查)",
)
async def record_survey(
    session: DbSession, response: Response, principal: Staff, today: Today, body: SurveyCreate
) -> SurveyRead:
    survey = await service.record_survey(session, principal, body, today)
    response.headers["Location"] = f"/training-surveys/{survey.id}"
    set_etag(response, survey.version)
    return SurveyRead.model_validate(survey)


@router.get(
    "/training-surveys",
    response_model=Page[SurveyItem],
    summary="Surveys of the caller's labourers, named",
    responses=XLSX_RESPONSES,
)
@exportable("培训需求调查")
async def list_surveys(
    session: DbSession,
    principal: Staff,
    params: Paging,
    labourer_id: LabourerFilter = None,
    region_code: RegionFilter = None,
) -> Page[SurveyItem]:
    rows = await service.list_surveys(session, principal, params, labourer_id=labourer_id, region_code=region_code)
    items, cursor = make_page(rows, params, lambda s: [s.id])
    return Page(items=[SurveyItem.model_validate(s, from_attributes=True) for s in items], next_cursor=cursor)


@router.get(
    "/training-surveys/overdue",
    response_model=Page[SurveyDue],
    summary="Labourers on the roster not surveyed for training needs within training_survey_every_months",
    responses=XLSX_RESPONSES,
)
@exportable("培训需求调查逾期")
async def surveys_overdue(
    session: DbSession,
    principal: Staff,
    rules: Rules,
    today: Today,
    params: Paging,
    region_code: RegionFilter = None,
) -> Page[SurveyDue]:
    region = region_in_scope(principal, region_code)
    rows = await service.list_surveys_due(
        session,
        principal,
        params,
        day=today,
        every_months=rules.training_survey_every_months,
        prefix=regioncode.prefix(region),
    )
    items, cursor = make_page(rows, params, lambda r: [r.due_on, r.labourer_id])
    return Page(items=[SurveyDue.model_validate(r, from_attributes=True) for r in items], next_cursor=cursor)


@router.get("/training-surveys/{survey_id}", response_model=SurveyRead, summary="A survey")
async def get_survey(session: DbSession, response: Response, principal: Staff, survey_id: RecordId) -> SurveyRead:
    survey = await service.require_survey(session, principal, survey_id)
    set_etag(response, survey.version)
    return SurveyRead.model_validate(survey)


@router.patch("/training-surveys/{survey_id}", response_model=SurveyRead, summary="Correct a survey (If-Match)")
async def update_survey(
    session: DbSession,
    response: Response,
    principal: Staff,
    survey_id: RecordId,
    body: SurveyUpdate,
    if_match: IfMatch = None,
) -> SurveyRead:
    survey = await service.update_survey(session, principal, survey_id, if_match, body)
    set_etag(response, survey.version)
    return SurveyRead.model_validate(survey)


@router.post(
    "/trainings", response_model=TrainingRead, status_code=status.HTTP_201_CREATED, summary="Set up a training"
)
async def create_training(
    session: DbSession, response: Response, principal: Staff, body: TrainingCreate
) -> TrainingRead:
    training = await service.create_training(session, principal, body)
    response.headers["Location"] = f"/trainings/{training.id}"
    set_etag(response, training.version)
    return TrainingRead.model_validate(training)


@router.get(
    "/trainings",
    response_model=Page[TrainingRead],
    summary="Trainings at the caller's places and the town and district above them",
    responses=XLSX_RESPONSES,
)
@exportable("培训", labels={"kind": "培训类别"})
async def list_trainings(
    session: DbSession,
    principal: Staff,
    params: Paging,
    kind: TrainingKind | None = None,
    region_code: RegionFilter = None,
    held_on: Annotated[date | None, Query(description="only trainings running on this day")] = None,
) -> Page[TrainingRead]:
    rows = await service.list_trainings(session, principal, params, kind=kind, region_code=region_code, held_on=held_on)
    items, cursor = make_page(rows, params, lambda t: [t.id])
    return Page(items=[TrainingRead.model_validate(t) for t in items], next_cursor=cursor)


@router.get("/trainings/{training_id}", response_model=TrainingRead, summary="A training")
async def get_training(session: DbSession, response: Response, principal: Staff, training_id: RecordId) -> TrainingRead:
    training = await service.require_training(session, principal, training_id)
    set_etag(response, training.version)
    return TrainingRead.model_validate(training)


@router.patch("/trainings/{training_id}", response_model=TrainingRead, summary="Change a training (If-Match)")
async def update_training(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    training_id: RecordId,
    body: TrainingUpdate,
    if_match: IfMatch = None,
) -> TrainingRead:
    training = await service.update_training(session, principal, training_id, if_match, body, today)
    set_etag(response, training.version)
    return TrainingRead.model_validate(training)


@router.post(
    "/trainings/{training_id}/attendance",
    response_model=AttendanceRead,
    status_code=status.HTTP_201_CREATED,
    summary="Enrol a labourer on a training",
)
async def enrol(
    session: DbSession, response: Response, principal: Staff, training_id: RecordId, body: AttendanceCreate
) -> AttendanceRead:
    attendance = await service.enrol(session, principal, training_id, body)
    response.headers["Location"] = f"/attendance/{attendance.id}"
    set_etag(response, attendance.version)
    return AttendanceRead.model_validate(attendance)


@router.get(
    "/trainings/{training_id}/attendance",
    response_model=Page[AttendanceItem],
    summary="Who is on a training (the caller's labourers, named)",
    responses=XLSX_RESPONSES,
)
@exportable("培训出勤", labels=ATTENDANCE_LABELS)
async def list_training_attendance(
    session: DbSession, principal: Staff, training_id: RecordId, params: Paging
) -> Page[AttendanceItem]:
    rows = await service.list_training_attendance(session, principal, training_id, params)
    items, cursor = make_page(rows, params, lambda a: [a.id])
    return Page(items=[AttendanceItem.model_validate(a, from_attributes=True) for a in items], next_cursor=cursor)


@router.get(
    "/attendance",
    response_model=Page[AttendanceItem],
    summary="Training attendance of the caller's labourers, named",
    responses=XLSX_RESPONSES,
)
@exportable("培训出勤", labels=ATTENDANCE_LABELS)
async def list_attendance(
    session: DbSession, principal: Staff, params: Paging, labourer_id: LabourerFilter = None
) -> Page[AttendanceItem]:
    rows = await service.list_attendance(session, principal, params, labourer_id=labourer_id)
    items, cursor = make_page(rows, params, lambda a: [a.id])
    return Page(items=[AttendanceItem.model_validate(a, from_attributes=True) for a in items], next_cursor=cursor)


@router.get("/attendance/{attendance_id}", response_model=AttendanceRead, summary="An attendance")
async def get_attendance(
    session: DbSession, response: Response, principal: Staff, attendance_id: RecordId
) -> AttendanceRead:
    attendance = await service.require_attendance(session, principal, attendance_id)
    set_etag(response, attendance.version)
    return AttendanceRead.model_validate(attendance)


@router.patch(
    "/attendance/{attendance_id}",
    response_model=AttendanceRead,
    summary="Record completion (已结业) or not, and the certificate (If-Match)",
)
async def update_attendance(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    attendance_id: RecordId,
    body: AttendanceUpdate,
    if_match: IfMatch = None,
) -> AttendanceRead:
    attendance = await service.update_attendance(session, principal, attendance_id, if_match, body, today)
    set_etag(response, attendance.version)
    return AttendanceRead.model_validate(attendance)
