"""Every measure and look-back query; region scoping is applied here, in the query itself."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, Row, Select, and_, cast, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.households.enums import HouseholdStatus, LabourSkill, MemberStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.measures.enums import DEVELOPMENT, MeasureCategory, MeasureFamily, MeasureStatus
from monitoring_api.measures.models import Lookback, Measure

CAN_WORK = [skill for skill in LabourSkill if skill.can_work]
# A development measure counts once it is being delivered; a plan or a terminated measure helps nobody yet.
COUNTED = [MeasureStatus.in_progress, MeasureStatus.completed]


def plus_months(day: Any, months: int) -> ColumnElement[date]:
    """Calendar months added the way PostgreSQL does (Aug 31 + 6 months = Feb 28), as a date."""
    return cast(day + func.make_interval(0, cast(months, Integer)), Date)


def _region_filter(region_code: str | None) -> ColumnElement[bool] | None:
    return None if region_code is None else under_region(Household.region_code, regioncode.prefix(region_code))


async def get_measure(session: AsyncSession, principal: Principal, measure_id: int) -> Measure | None:
    stmt = select(Measure).where(Measure.id == measure_id, in_scope(Measure.region_code, principal))
    return await session.scalar(stmt)


async def list_measures(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    household_id: int | None = None,
    region_code: str | None = None,
    category: MeasureCategory | None = None,
    family: MeasureFamily | None = None,
    status: MeasureStatus | None = None,
) -> Sequence[Measure]:
    stmt = select(Measure).where(in_scope(Measure.region_code, principal))
    if household_id is not None:
        stmt = stmt.where(Measure.household_id == household_id)
    if region_code is not None:
        stmt = stmt.where(under_region(Measure.region_code, regioncode.prefix(region_code)))
    if category is not None:
        stmt = stmt.where(Measure.category == category)
    if family is MeasureFamily.development:
        stmt = stmt.where(Measure.category.in_(DEVELOPMENT))
    elif family is MeasureFamily.protective:
        stmt = stmt.where(Measure.category.not_in(DEVELOPMENT))
    if status is not None:
        stmt = stmt.where(Measure.status == status)
    return (await session.scalars(apply_keyset(stmt, [Measure.id], params))).all()


def _flag_terms(today: date, within_months: int) -> dict[str, ColumnElement[Any]]:
    """The development-measure rule as SQL over every household at once."""
    due = plus_months(Household.included_on, within_months)
    mine = Measure.household_id == Household.id
    live = Measure.status != MeasureStatus.terminated
    labour = exists().where(
        Member.household_id == Household.id, Member.status == MemberStatus.active, Member.labour_skill.in_(CAN_WORK)
    )
    has_development = exists().where(mine, Measure.category.in_(DEVELOPMENT), Measure.status.in_(COUNTED))
    only_guarantee = and_(
        exists().where(mine, live),
        ~exists().where(mine, live, Measure.category != MeasureCategory.comprehensive_guarantee),
    )
    return {
        "due": due,
        "late": and_(due < today, ~has_development),
        "only_guarantee": only_guarantee,
        "subject": and_(
            Household.at_risk,
            Household.status == HouseholdStatus.active,
            Household.included_on.is_not(None),
            labour,
        ),
    }


async def flagged_households(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    today: date,
    within_months: int,
    region_code: str | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    terms = _flag_terms(today, within_months)
    stmt = select(
        Household.id.label("household_id"),
        Household.region_code,
        Household.head_name,
        Household.category,
        Household.included_on,
        terms["due"].label("development_due_on"),
        terms["late"].label("late"),
        terms["only_guarantee"].label("only_guarantee"),
    ).where(
        terms["subject"],
        or_(terms["late"], terms["only_guarantee"]),
        in_scope(Household.region_code, principal),
    )
    if (region := _region_filter(region_code)) is not None:
        stmt = stmt.where(region)
    return (await session.execute(apply_keyset(stmt, [Household.id], params))).all()


def flagged_items(
    today: date, within_months: int, region_prefix: str, principal: Principal | None = None
) -> Select[*tuple[Any, ...]]:
    """One row (region_code, household_id, development_due_on) per flagged household under the prefix: for counts,
    the overview and reminders."""
    terms = _flag_terms(today, within_months)
    stmt = select(
        Household.region_code, Household.id.label("household_id"), terms["due"].label("development_due_on")
    ).where(
        terms["subject"],
        or_(terms["late"], terms["only_guarantee"]),
        under_region(Household.region_code, region_prefix),
    )
    return stmt if principal is None else stmt.where(in_scope(Household.region_code, principal))


async def count_flagged_households(session: AsyncSession, region_prefix: str, today: date, within_months: int) -> int:
    items = flagged_items(today, within_months, region_prefix).subquery()
    return int(await session.scalar(select(func.count()).select_from(items)) or 0)


async def get_lookback(session: AsyncSession, principal: Principal, lookback_id: int) -> Lookback | None:
    stmt = select(Lookback).where(Lookback.id == lookback_id, in_scope(Lookback.region_code, principal))
    return await session.scalar(stmt)


async def list_lookbacks(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    household_id: int | None = None,
    overdue_on: date | None = None,
    region_code: str | None = None,
) -> Sequence[Lookback]:
    """Look-backs in scope; with `overdue_on`, only those still not done and due before that day, oldest first."""
    stmt = select(Lookback).where(in_scope(Lookback.region_code, principal))
    if household_id is not None:
        stmt = stmt.where(Lookback.household_id == household_id)
    if region_code is not None:
        stmt = stmt.where(under_region(Lookback.region_code, regioncode.prefix(region_code)))
    if overdue_on is None:
        return (await session.scalars(apply_keyset(stmt, [Lookback.id], params))).all()
    stmt = stmt.where(Lookback.done_on.is_(None), Lookback.due_on < overdue_on)
    return (await session.scalars(apply_keyset(stmt, [Lookback.due_on, Lookback.id], params))).all()


def overdue_lookback_items(today: date, region_prefix: str, principal: Principal | None = None) -> Select[str]:
    """One row (region_code) per look-back not recorded and due before today: for counts and the overview."""
    stmt = select(Lookback.region_code).where(
        Lookback.done_on.is_(None), Lookback.due_on < today, under_region(Lookback.region_code, region_prefix)
    )
    return stmt if principal is None else stmt.where(in_scope(Lookback.region_code, principal))


async def count_overdue_lookbacks(session: AsyncSession, region_prefix: str, today: date) -> int:
    items = overdue_lookback_items(today, region_prefix).subquery()
    return int(await session.scalar(select(func.count()).select_from(items)) or 0)
