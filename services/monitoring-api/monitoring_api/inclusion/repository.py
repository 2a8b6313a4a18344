"""Every inclusion-case query; region scoping is applied here, in the query itself."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.households.enums import MemberStatus
from monitoring_api.households.models import Member
from monitoring_api.inclusion.enums import CaseStatus, Step
from monitoring_api.inclusion.lateness import decided_late, open_and_late
from monitoring_api.inclusion.models import CaseStep, InclusionCase
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings


async def get_case(
    session: AsyncSession, principal: Principal, case_id: int, *, with_steps: bool = False
) -> InclusionCase | None:
    stmt = select(InclusionCase).where(InclusionCase.id == case_id, in_scope(InclusionCase.region_code, principal))
    if with_steps:
        # populate_existing: a case changed in this session is re-read with the steps it just gained.
        stmt = stmt.options(selectinload(InclusionCase.steps)).execution_options(populate_existing=True)
    return await session.scalar(stmt)


async def open_case_of(session: AsyncSession, household_id: int) -> InclusionCase | None:
    """Unscoped on purpose: one case in progress per household, whoever asks."""
    stmt = select(InclusionCase).where(
        InclusionCase.household_id == household_id, InclusionCase.status == CaseStatus.open
    )
    return await session.scalar(stmt)


async def case_from_assessment(session: AsyncSession, assessment_id: int) -> InclusionCase | None:
    stmt = select(InclusionCase).where(InclusionCase.assessment_id == assessment_id).order_by(InclusionCase.id)
    return await session.scalar(stmt.limit(1))


async def last_step(session: AsyncSession, case_id: int, step: Step | None = None) -> CaseStep | None:
    stmt = select(CaseStep).where(CaseStep.case_id == case_id)
    if step is not None:
        stmt = stmt.where(CaseStep.step == step)
    return await session.scalar(stmt.order_by(CaseStep.id.desc()).limit(1))


async def list_cases(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    region_code: str | None = None,
    household_id: int | None = None,
    status: CaseStatus | None = None,
) -> Sequence[InclusionCase]:
    stmt = select(InclusionCase).where(in_scope(InclusionCase.region_code, principal))
    if region_code is not None:
        stmt = stmt.where(under_region(InclusionCase.region_code, regioncode.prefix(region_code)))
    if household_id is not None:
        stmt = stmt.where(InclusionCase.household_id == household_id)
    if status is not None:
        stmt = stmt.where(InclusionCase.status == status)
    return (await session.scalars(apply_keyset(stmt, [InclusionCase.id], params))).all()


async def list_late(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    today: date,
    rules: RuleSettings,
    region_code: str | None = None,
    status: CaseStatus | None = None,
) -> Sequence[InclusionCase]:
    """Open cases past their decision day, and decided cases that were decided after it (lateness.py)."""
    late = or_(open_and_late(today, rules), decided_late(rules))
    stmt = select(InclusionCase).where(in_scope(InclusionCase.region_code, principal), late)
    if region_code is not None:
        stmt = stmt.where(under_region(InclusionCase.region_code, regioncode.prefix(region_code)))
    if status is not None:
        stmt = stmt.where(InclusionCase.status == status)
    return (await session.scalars(apply_keyset(stmt, [InclusionCase.id], params))).all()


def late_open_items(
    principal: Principal, today: date, rules: RuleSettings, region_prefix: str
) -> Select[*tuple[Any, ...]]:
    """One row per open late case under the prefix (with region_code): what the overview and reminders count."""
    return select(InclusionCase.region_code, InclusionCase.id).where(
        open_and_late(today, rules),
        under_region(InclusionCase.region_code, region_prefix),
        in_scope(InclusionCase.region_code, principal),
    )


async def active_members(session: AsyncSession, household_id: int) -> Sequence[Member]:
    stmt = (
        select(Member)
        .where(Member.household_id == household_id, Member.status == MemberStatus.active)
        .order_by(Member.id)
    )
    return (await session.scalars(stmt)).all()


async def region_name(session: AsyncSession, code: str) -> str | None:
    region = COMMON.region
    return await session.scalar(select(region.c.name).where(region.c.code == code))


async def cases_on_notice(session: AsyncSession, principal: Principal, village: str, on: date) -> Sequence[int]:
    """The cases of a village whose public notice is up on the day (what the village's notice board shows)."""
    stmt = (
        select(InclusionCase.id)
        .join(CaseStep, CaseStep.case_id == InclusionCase.id)
        .where(
            InclusionCase.region_code == village,
            in_scope(InclusionCase.region_code, principal),
            CaseStep.step == Step.notice,
            CaseStep.notice_start <= on,
            CaseStep.notice_end >= on,
        )
        .distinct()
        .order_by(InclusionCase.id)
    )
    return (await session.scalars(stmt)).all()
