"""Every income query; the household's scope is checked by the caller through the household registry."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.households.enums import MemberStatus
from monitoring_api.households.models import Member
from monitoring_api.income.models import HouseholdIncome, VerifiedIncome


async def get_income(session: AsyncSession, household_id: int, year: int) -> HouseholdIncome | None:
    stmt = select(HouseholdIncome).where(HouseholdIncome.household_id == household_id, HouseholdIncome.year == year)
    return await session.scalar(stmt)


async def list_income(session: AsyncSession, household_id: int) -> Sequence[HouseholdIncome]:
    stmt = select(HouseholdIncome).where(HouseholdIncome.household_id == household_id).order_by(HouseholdIncome.year)
    return (await session.scalars(stmt)).all()


async def verified_incomes(session: AsyncSession, household_id: int) -> Sequence[VerifiedIncome]:
    """The province's income verifications of the household, latest year first."""
    stmt = (
        select(VerifiedIncome).where(VerifiedIncome.household_id == household_id).order_by(VerifiedIncome.year.desc())
    )
    return (await session.scalars(stmt)).all()


async def count_active_members(session: AsyncSession, household_id: int) -> int:
    stmt = select(func.count()).where(Member.household_id == household_id, Member.status == MemberStatus.active)
    return int(await session.scalar(stmt) or 0)
