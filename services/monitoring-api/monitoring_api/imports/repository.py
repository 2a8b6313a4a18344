"""Writes of the import into the registry: INSERT … SELECT from the staged rows that were accepted."""

from typing import Any

from sqlalchemy import Integer, Select, String, Text, cast, func, insert, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.households.enums import HouseholdStatus, MemberStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.imports.staging import STAGING, S, accepted
from monitoring_api.models import table_of


async def insert_households(session: AsyncSession) -> None:
    """One household per accepted 户编号, from its 户主 row (the checks made it exactly one)."""
    values = select(
        S.household_number,
        S.region_code,
        S.head_name,
        S.category,
        literal(HouseholdStatus.active.value, Text),
        S.address,
        S.phone,
        func.coalesce(cast(func.string_to_array(S.risk_causes, ","), ARRAY(String(20))), text("'{}'::varchar[]")),
        S.lifted_year,
        S.included_on,
        literal(1, Integer),
    ).where(accepted(), S.is_head)
    columns = ["household_number", "region_code", "head_name", "category", "status", "address", "phone"]
    columns += ["risk_causes", "lifted_year", "included_on", "version"]
    await session.execute(insert(table_of(Household)).from_select(columns, values))


MEMBER_COLUMNS: tuple[str, ...] = ("id_number", "name", "sex", "birth_date", "relation", "labour_skill", "health")
MEMBER_COLUMNS += ("school_status", "education", "medical_insured", "pension_insured", "dibao", "tekun")
MEMBER_COLUMNS += ("public_welfare_job", "phone", "name_initials")


async def insert_members(session: AsyncSession) -> None:
    household = Household.__table__.c
    values = (
        select(
            household.id,
            household.region_code,
            *(S[name] for name in MEMBER_COLUMNS),
            literal(MemberStatus.active.value, Text),
            literal(1, Integer),
        )
        .join_from(STAGING, Household.__table__, household.household_number == S.household_number)
        .where(accepted())
        .order_by(S.row_no)  # member ids follow the file's order
    )
    columns = ["household_id", "region_code", *MEMBER_COLUMNS, "status", "version"]
    await session.execute(insert(table_of(Member)).from_select(columns, values))


def imported_households() -> Select[*tuple[Any, ...]]:
    """(entity_id, region_code) of the households this import created, for set-based events."""
    numbers = select(S.household_number).where(accepted(), S.is_head)
    return select(Household.id.label("entity_id"), Household.region_code).where(Household.household_number.in_(numbers))
