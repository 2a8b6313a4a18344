"""Records by id for the provincial push, the household a provincial update names and what the province set on it
before; registry-wide (service key)."""

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.assessments.models import Assessment
from monitoring_api.assessments.schemas import AssessmentRead
from monitoring_api.elimination.models import Elimination
from monitoring_api.elimination.schemas import EliminationRead
from monitoring_api.households.enums import MemberStatus
from monitoring_api.households.models import AssistanceStatusChange, Household, Member
from monitoring_api.households.schemas import HouseholdRead, MemberRead
from monitoring_api.inclusion.models import InclusionCase
from monitoring_api.inclusion.schemas import CaseRead
from monitoring_api.income.models import VerifiedIncome
from monitoring_api.measures.models import Measure
from monitoring_api.measures.schemas import MeasureRead
from monitoring_api.visits.models import Visit
from monitoring_api.visits.schemas import VisitRead

# Each entity the province receives, with the schema its own API reads it by: the province gets what users see.
ENTITIES: dict[str, tuple[Any, type[BaseModel]]] = {
    "household": (Household, HouseholdRead),
    "member": (Member, MemberRead),
    "assessment": (Assessment, AssessmentRead),
    "measure": (Measure, MeasureRead),
    "elimination": (Elimination, EliminationRead),
    "visit": (Visit, VisitRead),
    "inclusion_case": (InclusionCase, CaseRead),
}


async def records(session: AsyncSession, entity: str, ids: Sequence[int]) -> Sequence[Any]:
    model, _ = ENTITIES[entity]
    return (await session.scalars(select(model).where(model.id.in_(ids)).order_by(model.id))).all()


async def household_for_update(
    session: AsyncSession, household_id: int | None, id_number: str | None
) -> Household | None:
    """The household the province names: by our id when it has it (records we pushed), else by a live member."""
    if household_id is not None:
        found = await session.get(Household, household_id, with_for_update=True)
        if found is not None:
            return found
    if id_number is None:
        return None
    stmt = (
        select(Household)
        .join(Member, Member.household_id == Household.id)
        .where(Member.id_number == id_number.upper(), Member.status == MemberStatus.active)
        .with_for_update(of=Household)
    )
    return await session.scalar(stmt)


async def last_assistance_seq(session: AsyncSession, household_id: int) -> int | None:
    """The province's latest update that changed the household's 帮扶状态."""
    stmt = select(func.max(AssistanceStatusChange.seq)).where(AssistanceStatusChange.household_id == household_id)
    return await session.scalar(stmt)


async def verified_income(session: AsyncSession, household_id: int, year: int) -> VerifiedIncome | None:
    stmt = select(VerifiedIncome).where(VerifiedIncome.household_id == household_id, VerifiedIncome.year == year)
    return await session.scalar(stmt)
