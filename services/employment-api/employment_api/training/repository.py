"""Every survey, training and attendance query; region scoping is applied in the query itself.

`survey_due_items` is the one definition of "training-needs survey overdue": the overdue list and GET /deadlines are
both made from it.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, Row, Select, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from employment_api.labourers import rows_naming
from employment_api.places import readable
from employment_api.roster.models import Labourer
from employment_api.training.enums import AttendanceStatus, TrainingKind
from employment_api.training.models import Attendance, Training, TrainingSurvey


def plus_months(day: Any, months: int) -> ColumnElement[date]:
    """Calendar months added the way PostgreSQL does (Aug 31 + 6 months = Feb 28), as a date."""
    return cast(day + func.make_interval(0, cast(months, Integer)), Date)


def joined_roster_on() -> ColumnElement[date]:
    """The day (China Standard Time) the labourer came onto the roster."""
    return cast(func.timezone("Asia/Shanghai", Labourer.created_at), Date)


def survey_due_items(
    day: date, every_months: int, region_prefix: str, principal: Principal | None = None
) -> Select[*tuple[Any, ...]]:
    """Labourers on the roster whose survey is overdue on `day`: the last survey (or, never surveyed, the day they
    joined the roster) is more than `every_months` months back. One row each, with the day it fell due."""
    last = (
        select(TrainingSurvey.labourer_id, func.max(TrainingSurvey.surveyed_on).label("surveyed_on"))
        .group_by(TrainingSurvey.labourer_id)
        .subquery("last_survey")
    )
    due = plus_months(func.coalesce(last.c.surveyed_on, joined_roster_on()), every_months)
    stmt = (
        select(
            Labourer.id.label("labourer_id"),
            Labourer.name,
            Labourer.household_id,
            Labourer.region_code,
            last.c.surveyed_on.label("last_surveyed_on"),
            due.label("due_on"),
        )
        .outerjoin(last, last.c.labourer_id == Labourer.id)
        .where(Labourer.qualifies, due < day, under_region(Labourer.region_code, region_prefix))
    )
    return stmt if principal is None else stmt.where(in_scope(Labourer.region_code, principal))


async def list_surveys_due(
    session: AsyncSession, principal: Principal, params: PageParams, *, day: date, every_months: int, prefix: str
) -> Sequence[Row[*tuple[Any, ...]]]:
    items = survey_due_items(day, every_months, prefix, principal).subquery("due")
    stmt = select(items)
    return (await session.execute(apply_keyset(stmt, [items.c.due_on, items.c.labourer_id], params))).all()


def _surveys(principal: Principal) -> Select[TrainingSurvey]:
    return (
        select(TrainingSurvey)
        .join(Labourer, Labourer.id == TrainingSurvey.labourer_id)
        .where(in_scope(Labourer.region_code, principal))
    )


async def get_survey(session: AsyncSession, principal: Principal, survey_id: int) -> TrainingSurvey | None:
    return await session.scalar(_surveys(principal).where(TrainingSurvey.id == survey_id))


async def survey_on(session: AsyncSession, labourer_id: int, day: date) -> TrainingSurvey | None:
    stmt = select(TrainingSurvey).where(TrainingSurvey.labourer_id == labourer_id, TrainingSurvey.surveyed_on == day)
    return await session.scalar(stmt)


async def list_surveys(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    labourer_id: int | None = None,
    region_code: str | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Surveys with the labourer's name, household and village (one row each)."""
    stmt = rows_naming(TrainingSurvey).where(in_scope(Labourer.region_code, principal))
    if labourer_id is not None:
        stmt = stmt.where(TrainingSurvey.labourer_id == labourer_id)
    if region_code is not None:
        stmt = stmt.where(under_region(Labourer.region_code, regioncode.prefix(region_code)))
    return (await session.execute(apply_keyset(stmt, [TrainingSurvey.id], params))).all()


async def get_training(
    session: AsyncSession, principal: Principal, training_id: int, *, for_write: bool = False
) -> Training | None:
    scope = in_scope(Training.region_code, principal) if for_write else readable(Training.region_code, principal)
    return await session.scalar(select(Training).where(Training.id == training_id, scope))


async def training_of(session: AsyncSession, training_id: int) -> Training:
    """The training of an attendance already found in scope."""
    return (await session.scalars(select(Training).where(Training.id == training_id))).one()


async def list_trainings(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    kind: TrainingKind | None = None,
    region_code: str | None = None,
    held_on: date | None = None,
) -> Sequence[Training]:
    stmt = select(Training).where(readable(Training.region_code, principal))
    if kind is not None:
        stmt = stmt.where(Training.kind == kind)
    if region_code is not None:
        stmt = stmt.where(under_region(Training.region_code, regioncode.prefix(region_code)))
    if held_on is not None:
        stmt = stmt.where(Training.start_on <= held_on, Training.end_on >= held_on)
    return (await session.scalars(apply_keyset(stmt, [Training.id], params))).all()


def _attendance(principal: Principal) -> Select[Attendance]:
    return (
        select(Attendance)
        .join(Labourer, Labourer.id == Attendance.labourer_id)
        .where(in_scope(Labourer.region_code, principal))
    )


async def get_attendance(session: AsyncSession, principal: Principal, attendance_id: int) -> Attendance | None:
    return await session.scalar(_attendance(principal).where(Attendance.id == attendance_id))


async def attendance_of(session: AsyncSession, training_id: int, labourer_id: int) -> Attendance | None:
    stmt = select(Attendance).where(Attendance.training_id == training_id, Attendance.labourer_id == labourer_id)
    return await session.scalar(stmt)


async def list_attendance(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    training_id: int | None = None,
    labourer_id: int | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Attendance with the labourer's name, household and village (one row each)."""
    stmt = rows_naming(Attendance).where(in_scope(Labourer.region_code, principal))
    if training_id is not None:
        stmt = stmt.where(Attendance.training_id == training_id)
    if labourer_id is not None:
        stmt = stmt.where(Attendance.labourer_id == labourer_id)
    return (await session.execute(apply_keyset(stmt, [Attendance.id], params))).all()


async def has_completions(session: AsyncSession, training_id: int) -> bool:
    stmt = select(Attendance.id).where(
        Attendance.training_id == training_id, Attendance.status == AttendanceStatus.completed
    )
    return await session.scalar(stmt.limit(1)) is not None
