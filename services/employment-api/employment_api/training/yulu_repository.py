"""Every 雨露计划+ query; scoped by the participant's home village, in the query itself."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from employment_api.training.enums import YuluStage
from employment_api.training.models import YuluMilestone, YuluParticipant


async def get_participant(session: AsyncSession, principal: Principal, participant_id: int) -> YuluParticipant | None:
    stmt = select(YuluParticipant).where(
        YuluParticipant.id == participant_id, in_scope(YuluParticipant.region_code, principal)
    )
    return await session.scalar(stmt)


async def participant_by_id_number(session: AsyncSession, id_number: str) -> YuluParticipant | None:
    return await session.scalar(select(YuluParticipant).where(YuluParticipant.id_number == id_number))


async def list_participants(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    stages: Sequence[YuluStage] = (),
    region_code: str | None = None,
) -> Sequence[YuluParticipant]:
    stmt = select(YuluParticipant).where(in_scope(YuluParticipant.region_code, principal))
    if stages:
        stmt = stmt.where(YuluParticipant.stage.in_(stages))
    if region_code is not None:
        stmt = stmt.where(under_region(YuluParticipant.region_code, regioncode.prefix(region_code)))
    return (await session.scalars(apply_keyset(stmt, [YuluParticipant.id], params))).all()


async def list_milestones(
    session: AsyncSession, principal: Principal, participant_id: int, params: PageParams
) -> Sequence[YuluMilestone]:
    stmt = (
        select(YuluMilestone)
        .join(YuluParticipant, YuluParticipant.id == YuluMilestone.participant_id)
        .where(YuluMilestone.participant_id == participant_id, in_scope(YuluParticipant.region_code, principal))
    )
    return (await session.scalars(apply_keyset(stmt, [YuluMilestone.id], params))).all()
