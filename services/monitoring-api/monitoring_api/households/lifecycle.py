"""Business rules of the registry's lifecycle: members move between households, households between villages,
deaths and departures. Records are never deleted; history is kept. Flushes, never commits."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit, outbox
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import Topic
from monitoring_api.households import repository
from monitoring_api.households.enums import HouseholdStatus, MemberStatus, Relation
from monitoring_api.households.errors import (
    DateBeforeBirth,
    DateInFuture,
    HeadAlreadyPresent,
    HeadNeedsRelation,
    HouseholdDissolved,
    MemberNotActive,
    SameHousehold,
    SameVillage,
)
from monitoring_api.households.models import AssistanceStatusChange, Household, HouseholdMove, Member, MemberMove
from monitoring_api.households.schemas import DeathCreate, DepartureCreate, HouseholdMoveCreate, MemberMoveCreate
from monitoring_api.households.service import check_village, require_household, require_member


@dataclass(frozen=True)
class History:
    household_moves: Sequence[HouseholdMove]
    member_moves: Sequence[MemberMove]
    member_exits: Sequence[Member]
    assistance_statuses: Sequence[AssistanceStatusChange]


def _check_date(name: str, value: date, today: date, member: Member | None = None) -> None:
    if value > today:
        raise DateInFuture(field=f"body.{name}", what=name, value=value, today=today)
    if member is not None and value < member.birth_date:
        raise DateBeforeBirth(
            field=f"body.{name}", what=name, value=value, member_id=member.id, birth_date=member.birth_date
        )


def _check_active(member: Member) -> None:
    if member.status != MemberStatus.active:
        raise MemberNotActive(member_id=member.id, status=member.status)


async def _dissolve_if_empty(session: AsyncSession, household_id: int) -> None:
    """A household whose last living member left is dissolved (户注销); its row and history stay."""
    if await repository.count_active_members(session, household_id) > 0:
        return
    household = await session.get(Household, household_id)
    if household is None or household.status == HouseholdStatus.dissolved:
        return
    household.status = HouseholdStatus.dissolved
    await session.flush()
    await outbox.publish_change(
        session, Topic.household_changed, "household", household.id, household.region_code, "dissolved"
    )


async def _new_relation(session: AsyncSession, member: Member, target: Household, given: Relation | None) -> Relation:
    if given is None and member.relation == Relation.head:
        raise HeadNeedsRelation(
            field="body.relation", member_id=member.id, household_id=member.household_id, target=target.id
        )
    relation = given or member.relation
    if relation == Relation.head and await repository.active_head(session, target.id) is not None:
        raise HeadAlreadyPresent(field="body.relation", household_id=target.id)
    return relation


async def move_member(
    session: AsyncSession, principal: Principal, member_id: int, data: MemberMoveCreate, today: date
) -> Member:
    member = await require_member(session, principal, member_id)
    _check_active(member)
    if data.to_household_id == member.household_id:
        raise SameHousehold(field="body.to_household_id", member_id=member.id, household_id=member.household_id)
    source_id = member.household_id
    target = await require_household(session, principal, data.to_household_id)  # scope first: lock only what is ours
    # Both households locked before their state is used: the dissolve check below counts their members.
    await repository.lock_households(session, [source_id, target.id])
    await session.refresh(target)
    _check_date("moved_on", data.moved_on, today, member)
    if target.status == HouseholdStatus.dissolved:
        raise HouseholdDissolved(field="body.to_household_id", household_id=target.id)
    member.relation = await _new_relation(session, member, target, data.relation)
    from_code = member.region_code
    member.household_id = target.id
    member.region_code = target.region_code
    session.add(
        MemberMove(
            member_id=member.id,
            from_household_id=source_id,
            to_household_id=target.id,
            moved_on=data.moved_on,
            reason=data.reason,
        )
    )
    await session.flush()
    if from_code != target.region_code:
        records = await repository.move_member_records(session, member.id, target.id, target.region_code)
        if records:
            changes = {"region_code": [from_code, target.region_code], "records": records}
            await audit.record(session, "member_records", f"member:{member.id}", "update", changes)
    await outbox.publish_change(session, Topic.member_changed, "member", member.id, member.region_code, "moved")
    await _dissolve_if_empty(session, source_id)
    return member


async def move_household(
    session: AsyncSession, principal: Principal, household_id: int, data: HouseholdMoveCreate, today: date
) -> Household:
    household = await require_household(session, principal, household_id, for_update=True)
    _check_date("moved_on", data.moved_on, today)
    if household.status == HouseholdStatus.dissolved:
        raise HouseholdDissolved(household_id=household.id)
    if data.to_region_code == household.region_code:
        raise SameVillage(field="body.to_region_code", household_id=household.id, region_code=household.region_code)
    await check_village(session, principal, data.to_region_code)
    from_code = household.region_code
    household.region_code = data.to_region_code
    session.add(
        HouseholdMove(
            household_id=household.id,
            from_region_code=from_code,
            to_region_code=data.to_region_code,
            moved_on=data.moved_on,
            reason=data.reason,
        )
    )
    await session.flush()
    # Members follow in one statement (dead and departed too: their rows stay readable where the household is).
    member_ids = await repository.move_members_region(session, household.id, data.to_region_code)
    if member_ids:
        changes = {"region_code": [from_code, data.to_region_code], "member_ids": member_ids}
        await audit.record(session, "member", f"household:{household.id}", "update", changes)
    records = await repository.move_household_records(session, household.id, data.to_region_code)
    if records:
        changes = {"region_code": [from_code, data.to_region_code], "records": records}
        await audit.record(session, "household_records", f"household:{household.id}", "update", changes)
    await outbox.publish_change(
        session, Topic.household_changed, "household", household.id, household.region_code, "moved"
    )
    await outbox.publish_changes(
        session, Topic.member_changed, "member", "moved", repository.member_event_rows(household.id)
    )
    return household


async def _record_exit(
    session: AsyncSession,
    principal: Principal,
    member_id: int,
    status: MemberStatus,
    field: str,
    on: date,
    note: str | None,
    today: date,
) -> Member:
    member = await require_member(session, principal, member_id)
    _check_active(member)
    _check_date(field, on, today, member)
    # Households are always locked before members change (a concurrent change to the member itself is caught by
    # its version), so a death and a move cannot deadlock.
    await repository.lock_households(session, [member.household_id])
    # The row stays; the partial unique index frees the ID number once the status is no longer 正常.
    member.status = status
    member.status_date = on
    member.status_note = note
    await session.flush()
    action = "died" if status == MemberStatus.deceased else "departed"
    await outbox.publish_change(session, Topic.member_changed, "member", member.id, member.region_code, action)
    await _dissolve_if_empty(session, member.household_id)
    return member


async def record_death(
    session: AsyncSession, principal: Principal, member_id: int, data: DeathCreate, today: date
) -> Member:
    return await _record_exit(
        session, principal, member_id, MemberStatus.deceased, "died_on", data.died_on, data.note, today
    )


async def record_departure(
    session: AsyncSession, principal: Principal, member_id: int, data: DepartureCreate, today: date
) -> Member:
    return await _record_exit(
        session, principal, member_id, MemberStatus.departed, "departed_on", data.departed_on, data.note, today
    )


async def history(session: AsyncSession, principal: Principal, household_id: int) -> History:
    household = await require_household(session, principal, household_id)
    return History(
        household_moves=await repository.household_moves(session, household.id),
        member_moves=await repository.member_moves(session, household.id),
        member_exits=await repository.member_exits(session, household.id),
        assistance_statuses=await repository.assistance_statuses(session, household.id),
    )
