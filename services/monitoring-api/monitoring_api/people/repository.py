"""The one query sibling services need: a person by resident ID number, registry-wide."""

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.households.enums import MemberStatus
from monitoring_api.households.models import Household, Member


async def person_by_id_number(session: AsyncSession, id_number: str) -> Row | None:
    """The live entry if the person has one, else their latest (a death or departure keeps its row)."""
    stmt = (
        select(
            Member.id_number,
            Member.id.label("member_id"),
            Member.name,
            Member.status.label("member_status"),
            Member.status_date,
            Household.id.label("household_id"),
            Household.category.label("household_category"),
            Household.status.label("household_status"),
            Household.region_code,
        )
        .join(Household, Household.id == Member.household_id)
        .where(Member.id_number == id_number)
        .order_by((Member.status == MemberStatus.active).desc(), Member.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).first()
