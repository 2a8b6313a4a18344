"""Business rules of 雨露计划+ participants and their milestones from school to a job. Flushes, never commits."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from dixian_shared.pagination import PageParams
from employment_api import labourers
from employment_api.places import check_place
from employment_api.problems import NotInFuture, flush_guarded
from employment_api.training import yulu_repository as repository
from employment_api.training.enums import STAGE_TRANSITIONS, YuluStage
from employment_api.training.errors import (
    EmployerRequired,
    LabourerNotThisPerson,
    MilestoneBeforeLast,
    StageOrder,
    YuluAlreadyFollowed,
)
from employment_api.training.models import YuluMilestone, YuluParticipant
from employment_api.training.schemas import MilestoneCreate, ParticipantCreate, ParticipantUpdate


def _not_after_today(field: str, value: date, today: date) -> None:
    if value > today:
        raise NotInFuture(field=field, value=value, today=today)


async def _check_labourer(session: AsyncSession, principal: Principal, labourer_id: int, id_number: str) -> None:
    labourer = await labourers.require_labourer(session, principal, labourer_id)
    if labourer.id_number != id_number:
        raise LabourerNotThisPerson(labourer_id=labourer_id)


async def follow(session: AsyncSession, principal: Principal, data: ParticipantCreate, today: date) -> YuluParticipant:
    await check_place(session, principal, data.region_code)
    _not_after_today("enrolled_on", data.enrolled_on, today)
    if data.labourer_id is not None:
        await _check_labourer(session, principal, data.labourer_id, data.id_number)
    if (existing := await repository.participant_by_id_number(session, data.id_number)) is not None:
        # Refused whatever the caller's region (two villages do not follow one student), naming the record only
        # to a caller who may read it.
        shown = existing.id if principal.can_access(existing.region_code) else "-"
        raise YuluAlreadyFollowed(id_number=data.id_number, participant_id=shown)
    participant = YuluParticipant(**data.model_dump(), stage=YuluStage.studying, stage_on=data.enrolled_on)
    twice = YuluAlreadyFollowed(id_number=data.id_number, participant_id="-")
    await flush_guarded(session, {"uq_yulu_participant_id_number": twice}, participant)
    return participant


async def require_participant(session: AsyncSession, principal: Principal, participant_id: int) -> YuluParticipant:
    participant = await repository.get_participant(session, principal, participant_id)
    if participant is None:
        raise NotFound(entity="雨露计划+ participant", key=participant_id)
    return participant


async def update_participant(
    session: AsyncSession, principal: Principal, participant_id: int, if_match: str | None, data: ParticipantUpdate
) -> YuluParticipant:
    participant = await require_participant(session, principal, participant_id)
    check_version(if_match, participant.version)
    changes = data.model_dump(exclude_unset=True)
    for field in ("name", "school"):
        if field in changes and changes[field] is None:
            raise InvalidField(f"body.{field}", "may be changed but not removed", "可以修改，但不能清空")
    if changes.get("labourer_id") is not None:
        await _check_labourer(session, principal, changes["labourer_id"], participant.id_number)
    for field, value in changes.items():
        setattr(participant, field, value)
    await session.flush()
    return participant


async def add_milestone(
    session: AsyncSession, principal: Principal, participant_id: int, data: MilestoneCreate, today: date
) -> tuple[YuluParticipant, YuluMilestone]:
    participant = await require_participant(session, principal, participant_id)
    allowed = STAGE_TRANSITIONS[participant.stage]
    if data.stage not in allowed:
        raise StageOrder(current=participant.stage, wanted=data.stage, allowed="、".join(sorted(allowed)))
    _not_after_today("reached_on", data.reached_on, today)
    if data.reached_on < participant.stage_on:
        raise MilestoneBeforeLast(wanted=data.stage, reached_on=data.reached_on, stage_on=participant.stage_on)
    if data.stage == YuluStage.employed and data.employer is None:
        raise EmployerRequired()
    milestone = YuluMilestone(participant_id=participant.id, recorded_by=principal.subject, **data.model_dump())
    participant.stage, participant.stage_on = data.stage, data.reached_on
    session.add(milestone)
    await session.flush()
    return participant, milestone


async def list_participants(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[YuluParticipant]:
    return await repository.list_participants(session, principal, params, **filters)


async def list_milestones(
    session: AsyncSession, principal: Principal, participant_id: int, params: PageParams
) -> Sequence[YuluMilestone]:
    await require_participant(session, principal, participant_id)
    return await repository.list_milestones(session, principal, participant_id, params)
