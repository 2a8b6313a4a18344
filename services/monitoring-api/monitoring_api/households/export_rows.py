"""The second sheet of the household export: the members of each page of households, masked as lists mask them."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.households.models import Member
from monitoring_api.households.schemas import HouseholdRead, MemberRead
from monitoring_api.privacy import mask_id_number


async def members_of_page(arguments: dict[str, Any], households: list[HouseholdRead]) -> list[MemberRead]:
    """One query per page of households (already scoped by the list); ID numbers masked as in any list."""
    session: AsyncSession = arguments["session"]
    ids = [household.id for household in households]
    stmt = select(Member).where(Member.household_id.in_(ids)).order_by(Member.household_id, Member.id)
    members = (await session.scalars(stmt)).all()
    rows = [MemberRead.model_validate(member) for member in members]
    for row in rows:
        row.id_number = mask_id_number(row.id_number)
    return rows
