"""Every assessment query; region scoping is applied here, in the query itself."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.assessments.enums import Outcome
from monitoring_api.assessments.models import Assessment


async def get_assessment(session: AsyncSession, principal: Principal, assessment_id: int) -> Assessment | None:
    stmt = (
        select(Assessment)
        .where(Assessment.id == assessment_id, in_scope(Assessment.region_code, principal))
        .options(selectinload(Assessment.review))
    )
    return await session.scalar(stmt)


async def find_for_month(session: AsyncSession, household_id: int, month: date) -> Assessment | None:
    """Unscoped on purpose: the household was already checked to be in scope, and one month has one assessment."""
    stmt = (
        select(Assessment)
        .where(Assessment.household_id == household_id, Assessment.month == month)
        .options(selectinload(Assessment.review))
    )
    return await session.scalar(stmt)


async def list_assessments(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    region_code: str | None = None,
    household_id: int | None = None,
    month: date | None = None,
    outcome: Outcome | None = None,
) -> Sequence[Assessment]:
    stmt = select(Assessment).where(in_scope(Assessment.region_code, principal))
    if region_code is not None:
        stmt = stmt.where(under_region(Assessment.region_code, regioncode.prefix(region_code)))
    if household_id is not None:
        stmt = stmt.where(Assessment.household_id == household_id)
    if month is not None:
        stmt = stmt.where(Assessment.month == month)
    if outcome is not None:
        stmt = stmt.where(Assessment.outcome == outcome)
    return (await session.scalars(apply_keyset(stmt, [Assessment.id], params))).all()
