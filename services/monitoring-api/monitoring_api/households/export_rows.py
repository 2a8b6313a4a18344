"""The second sheet of the household export: the members of each page of households (masked by the export itself,
dixian_shared.exports, as every list and export is)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.households.models import Member
from monitoring_api.households.schemas import HouseholdRead, MemberRead


async def members_of_page(arguments: dict[str, Any], households: list[HouseholdRead]) -> list[MemberRead]:
    """One query per page of households (already scoped by the list)."""
    session: AsyncSession = arguments["session"]
    ids = [household.id for household in households]
    stmt = select(Member).where(Member.household_id.in_(ids)).order_by(Member.household_id, Member.id)
    return [MemberRead.model_validate(member) for member in (await session.scalars(stmt)).all()]
