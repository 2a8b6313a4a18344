"""Every household and member query; region scoping is applied here, in the query itself."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.households.enums import Category, MemberStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.models import COMMON


async def get_household(
    session: AsyncSession, principal: Principal, household_id: int, *, with_members: bool = False
) -> Household | None:
    stmt = select(Household).where(Household.id == household_id, in_scope(Household.region_code, principal))
    if with_members:
        stmt = stmt.options(selectinload(Household.members))
    return await session.scalar(stmt)


async def list_households(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    region_code: str | None = None,
    category: Category | None = None,
) -> Sequence[Household]:
    stmt = select(Household).where(in_scope(Household.region_code, principal))
    if region_code is not None:
        stmt = stmt.where(under_region(Household.region_code, regioncode.prefix(region_code)))
    if category is not None:
        stmt = stmt.where(Household.category == category)
    return (await session.scalars(apply_keyset(stmt, [Household.id], params))).all()


async def get_member(session: AsyncSession, principal: Principal, member_id: int) -> Member | None:
    return await session.scalar(select(Member).where(Member.id == member_id, in_scope(Member.region_code, principal)))


async def list_members(session: AsyncSession, household_id: int) -> Sequence[Member]:
    return (await session.scalars(select(Member).where(Member.household_id == household_id).order_by(Member.id))).all()


async def active_members_with_ids(session: AsyncSession, id_numbers: Sequence[str]) -> Sequence[Member]:
    """Registry-wide (unscoped) on purpose: a person may be in one household only, whoever asks."""
    if not id_numbers:
        return []
    stmt = select(Member).where(Member.id_number.in_(id_numbers), Member.status == MemberStatus.active)
    return (await session.scalars(stmt)).all()


async def village_exists(session: AsyncSession, region_code: str) -> bool:
    region = COMMON.region
    stmt = select(region.c.code).where(region.c.code == region_code, region.c.level == "village")
    return await session.scalar(stmt) is not None
