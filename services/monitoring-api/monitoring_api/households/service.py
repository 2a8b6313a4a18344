"""Business rules of the household registry. Takes the session first; flushes, never commits."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import idnumber, outbox
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.contracts import Topic
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from monitoring_api.households import repository
from monitoring_api.households.enums import Category, HouseholdStatus, MemberStatus
from monitoring_api.households.errors import (
    AssistanceStatusByProvince,
    CategoryByWorkflow,
    DateInFuture,
    DuplicateIdInRequest,
    HouseholdDissolved,
    IdNumberTaken,
    IdNumberTakenElsewhere,
    InclusionDateNotForCategory,
    MemberNotActive,
    NotAVillage,
)
from monitoring_api.households.models import Household, Member
from monitoring_api.households.schemas import HouseholdCreate, HouseholdUpdate, MemberCreate, MemberUpdate


async def require_household(
    session: AsyncSession,
    principal: Principal,
    household_id: int,
    *,
    with_members: bool = False,
    for_update: bool = False,
) -> Household:
    household = await repository.get_household(
        session, principal, household_id, with_members=with_members, for_update=for_update
    )
    if household is None:
        raise NotFound(entity="household", key=household_id)
    return household


async def household_detail(session: AsyncSession, principal: Principal, household_id: int) -> dict[str, Any]:
    """The household and its members as rows, for reading only (no ORM objects to change)."""
    row = await repository.household_detail(session, principal, household_id)
    if row is None:
        raise NotFound(entity="household", key=household_id)
    return row


async def require_member(session: AsyncSession, principal: Principal, member_id: int) -> Member:
    member = await repository.get_member(session, principal, member_id)
    if member is None:
        raise NotFound(entity="member", key=member_id)
    return member


async def check_village(session: AsyncSession, principal: Principal, region_code: str) -> None:
    if not principal.can_access(region_code):
        raise NotFound(entity="region", key=region_code)
    if not await repository.village_exists(session, region_code):
        raise NotAVillage(region_code=region_code)


async def _check_new_people(session: AsyncSession, principal: Principal, people: Sequence[MemberCreate]) -> None:
    seen: set[str] = set()
    for person in people:
        if person.id_number in seen:
            raise DuplicateIdInRequest(id_number=person.id_number)
        seen.add(person.id_number)
    taken = await repository.active_members_with_ids(session, list(seen))
    if taken:
        first = taken[0]
        if not principal.can_access(first.region_code):
            raise IdNumberTakenElsewhere(id_number=first.id_number, region_code=first.region_code)
        raise IdNumberTaken(
            id_number=first.id_number,
            member_id=first.id,
            household_id=first.household_id,
            region_code=first.region_code,
        )


def _new_member(household: Household, data: MemberCreate) -> Member:
    return Member(
        household_id=household.id,
        region_code=household.region_code,
        sex=idnumber.sex(data.id_number),
        birth_date=idnumber.birth_date(data.id_number),
        status=MemberStatus.active,
        **data.model_dump(),
    )


async def create_household(
    session: AsyncSession, principal: Principal, data: HouseholdCreate, today: date
) -> Household:
    await check_village(session, principal, data.region_code)
    await _check_new_people(session, principal, data.members)
    household = Household(**data.model_dump(exclude={"members", "included_on"}))
    household.included_on = _inclusion_date(data, today)
    session.add(household)
    await session.flush()
    members = [_new_member(household, person) for person in data.members]
    session.add_all(members)
    await session.flush()
    await outbox.publish_change(
        session, Topic.household_changed, "household", household.id, household.region_code, "created"
    )
    await outbox.publish_changes(
        session, Topic.member_changed, "member", "created", repository.member_event_rows(household.id)
    )
    return household


def _inclusion_date(data: HouseholdCreate, today: date) -> date | None:
    """A subject registered from earlier records keeps its inclusion date; without one, its clock starts today.

    Either way every rule counted from inclusion (elimination after six months, development measure within six
    months, at risk over six months) applies to it: a subject never escapes them for lack of a date.
    """
    if not data.category.is_monitoring_subject:
        if data.included_on is not None:
            raise InclusionDateNotForCategory(field="body.included_on", category=data.category.value)
        return None
    if data.included_on is not None and data.included_on > today:
        raise DateInFuture(
            field="body.included_on", what="纳入监测时间", value=data.included_on.isoformat(), today=today.isoformat()
        )
    return data.included_on or today


async def list_households(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    region_code: str | None = None,
    category: Category | None = None,
) -> list[dict[str, Any]]:
    return await repository.list_households(session, principal, params, region_code=region_code, category=category)


async def update_household(
    session: AsyncSession, principal: Principal, household_id: int, if_match: str | None, data: HouseholdUpdate
) -> Household:
    household = await require_household(session, principal, household_id)
    changes = data.model_dump(exclude_unset=True)
    if "category" in changes:
        raise CategoryByWorkflow(field="body.category", household_id=household.id)
    if "assistance_status" in changes:
        raise AssistanceStatusByProvince(field="body.assistance_status", household_id=household.id)
    check_version(if_match, household.version)
    for field, value in changes.items():
        setattr(household, field, value)
    await session.flush()
    await outbox.publish_change(
        session, Topic.household_changed, "household", household.id, household.region_code, "updated"
    )
    return household


async def add_member(session: AsyncSession, principal: Principal, household_id: int, data: MemberCreate) -> Member:
    household = await require_household(session, principal, household_id)
    if household.status == HouseholdStatus.dissolved:
        raise HouseholdDissolved(household_id=household.id)
    await _check_new_people(session, principal, [data])
    member = _new_member(household, data)
    session.add(member)
    await session.flush()
    await outbox.publish_change(session, Topic.member_changed, "member", member.id, member.region_code, "created")
    return member


async def update_member(
    session: AsyncSession, principal: Principal, member_id: int, if_match: str | None, data: MemberUpdate
) -> Member:
    member = await require_member(session, principal, member_id)
    check_version(if_match, member.version)
    if member.status != MemberStatus.active:
        raise MemberNotActive(member_id=member.id, status=member.status)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(member, field, value)
    await session.flush()
    await outbox.publish_change(session, Topic.member_changed, "member", member.id, member.region_code, "updated")
    return member
