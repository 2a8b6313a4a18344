"""The feed's one query: members with their household's category, in the caller's region."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, in_scope
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.households.enums import HouseholdStatus, MemberStatus
from monitoring_api.households.models import Household, Member


async def members(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    member_id: int | None,
    household_id: int | None,
    categories: Sequence[str],
    labour_skills: Sequence[str],
    active_only: bool,
) -> tuple[Sequence[Any], datetime]:
    # statement_timestamp() is taken when this statement's snapshot is: rows read by a later statement are never
    # older, which is what lets a subscriber order what it receives.
    stmt = (
        select(
            Member.id.label("member_id"),
            Member.household_id,
            Member.region_code,
            Member.id_number,
            Member.name,
            Member.sex,
            Member.birth_date,
            Member.labour_skill,
            Member.status.label("member_status"),
            Member.status_date,
            Household.category.label("household_category"),
            Household.status.label("household_status"),
            func.statement_timestamp().label("observed_at"),
        )
        .join(Household, Household.id == Member.household_id)
        .where(in_scope(Member.region_code, principal))
    )
    if member_id is not None:
        stmt = stmt.where(Member.id == member_id)
    if household_id is not None:
        stmt = stmt.where(Member.household_id == household_id)
    if categories:
        stmt = stmt.where(Household.category.in_(categories))
    if labour_skills:
        stmt = stmt.where(Member.labour_skill.in_(labour_skills))
    if active_only:
        stmt = stmt.where(Member.status == MemberStatus.active, Household.status == HouseholdStatus.active)
    rows = (await session.execute(apply_keyset(stmt, [Member.id], params))).all()
    observed = rows[0].observed_at if rows else (await session.execute(select(func.statement_timestamp()))).scalar_one()
    return rows, observed
