"""Business rules of training-needs surveys, trainings and attendance. Takes the session first; flushes only."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from dixian_shared.pagination import PageParams
from employment_api import labourers
from employment_api.places import check_place
from employment_api.problems import NotInFuture, PeriodOrder, flush_guarded
from employment_api.training import repository
from employment_api.training.enums import AttendanceStatus
from employment_api.training.errors import AttendsTwice, NotYetEnded, SurveyTwiceADay, TrainingHasAttendance
from employment_api.training.models import Attendance, Training, TrainingSurvey
from employment_api.training.schemas import (
    AttendanceCreate,
    AttendanceUpdate,
    SurveyCreate,
    SurveyUpdate,
    TrainingCreate,
    TrainingUpdate,
)


def _no_removal(changes: dict[str, Any], *fields: str) -> None:
    for field in fields:
        if field in changes and changes[field] is None:
            raise InvalidField(f"body.{field}", "may be changed but not removed", "可以修改，但不能清空")


async def record_survey(session: AsyncSession, principal: Principal, data: SurveyCreate, today: date) -> TrainingSurvey:
    labourer = await labourers.require_on_roster(session, principal, data.labourer_id)
    if data.surveyed_on > today:
        raise NotInFuture(field="surveyed_on", value=data.surveyed_on, today=today)
    twice = SurveyTwiceADay(labourer_id=labourer.id, surveyed_on=data.surveyed_on)
    if await repository.survey_on(session, labourer.id, data.surveyed_on) is not None:
        raise twice
    survey = TrainingSurvey(**data.model_dump())
    await flush_guarded(session, {"uq_training_survey_labourer_day": twice}, survey)
    return survey


async def require_survey(session: AsyncSession, principal: Principal, survey_id: int) -> TrainingSurvey:
    survey = await repository.get_survey(session, principal, survey_id)
    if survey is None:
        raise NotFound(entity="training-needs survey", key=survey_id)
    return survey


async def update_survey(
    session: AsyncSession, principal: Principal, survey_id: int, if_match: str | None, data: SurveyUpdate
) -> TrainingSurvey:
    survey = await require_survey(session, principal, survey_id)
    check_version(if_match, survey.version)
    changes = data.model_dump(exclude_unset=True)
    _no_removal(changes, "surveyed_by", "wants_training")
    for field, value in changes.items():
        setattr(survey, field, value)
    await session.flush()
    return survey


async def list_surveys(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Row[*tuple[Any, ...]]]:
    return await repository.list_surveys(session, principal, params, **filters)


async def list_surveys_due(
    session: AsyncSession, principal: Principal, params: PageParams, *, day: date, every_months: int, prefix: str
) -> Sequence[Row[*tuple[Any, ...]]]:
    return await repository.list_surveys_due(
        session, principal, params, day=day, every_months=every_months, prefix=prefix
    )


def _check_period(training: Training) -> None:
    if training.end_on < training.start_on:
        raise PeriodOrder(entity="培训", start_on=training.start_on, end_on=training.end_on)


async def create_training(session: AsyncSession, principal: Principal, data: TrainingCreate) -> Training:
    await check_place(session, principal, data.region_code)
    training = Training(**data.model_dump())
    _check_period(training)
    session.add(training)
    await session.flush()
    return training


async def require_training(
    session: AsyncSession, principal: Principal, training_id: int, *, for_write: bool = False
) -> Training:
    training = await repository.get_training(session, principal, training_id, for_write=for_write)
    if training is None:
        raise NotFound(entity="training", key=training_id)
    return training


async def update_training(
    session: AsyncSession,
    principal: Principal,
    training_id: int,
    if_match: str | None,
    data: TrainingUpdate,
    today: date,
) -> Training:
    training = await require_training(session, principal, training_id, for_write=True)
    check_version(if_match, training.version)
    changes = data.model_dump(exclude_unset=True)
    _no_removal(changes, "title", "organizer", "start_on", "end_on")
    for field, value in changes.items():
        setattr(training, field, value)
    _check_period(training)
    if training.end_on > today and await repository.has_completions(session, training.id):
        raise TrainingHasAttendance(training_id=training.id, today=today)
    await session.flush()
    return training


async def list_trainings(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Training]:
    return await repository.list_trainings(session, principal, params, **filters)


async def enrol(session: AsyncSession, principal: Principal, training_id: int, data: AttendanceCreate) -> Attendance:
    training = await require_training(session, principal, training_id)
    labourer = await labourers.require_on_roster(session, principal, data.labourer_id)
    twice = AttendsTwice(labourer_id=labourer.id, training_id=training.id)
    if await repository.attendance_of(session, training.id, labourer.id) is not None:
        raise twice
    attendance = Attendance(training_id=training.id, labourer_id=labourer.id, status=AttendanceStatus.enrolled)
    await flush_guarded(session, {"uq_training_attendance_once": twice}, attendance)
    return attendance


async def require_attendance(session: AsyncSession, principal: Principal, attendance_id: int) -> Attendance:
    attendance = await repository.get_attendance(session, principal, attendance_id)
    if attendance is None:
        raise NotFound(entity="attendance", key=attendance_id)
    return attendance


async def update_attendance(
    session: AsyncSession,
    principal: Principal,
    attendance_id: int,
    if_match: str | None,
    data: AttendanceUpdate,
    today: date,
) -> Attendance:
    attendance = await require_attendance(session, principal, attendance_id)
    check_version(if_match, attendance.version)
    changes = data.model_dump(exclude_unset=True)
    _no_removal(changes, "status")
    for field, value in changes.items():
        setattr(attendance, field, value)
    if attendance.status == AttendanceStatus.completed:
        training = await repository.training_of(session, attendance.training_id)
        if training.end_on > today:
            raise NotYetEnded(training_id=training.id, end_on=training.end_on, today=today)
    await session.flush()
    return attendance


async def list_attendance(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Row[*tuple[Any, ...]]]:
    return await repository.list_attendance(session, principal, params, **filters)


async def list_training_attendance(
    session: AsyncSession, principal: Principal, training_id: int, params: PageParams
) -> Sequence[Row[*tuple[Any, ...]]]:
    await require_training(session, principal, training_id)
    return await repository.list_attendance(session, principal, params, training_id=training_id)
