"""Key groups of a household: derived membership read from the data, and the staff marks where data cannot show it."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.errors import NotFound
from monitoring_api.households.service import require_household
from monitoring_api.warnings import membership
from monitoring_api.warnings.enums import DERIVED_ONLY_GROUPS, GroupBasis, KeyGroup
from monitoring_api.warnings.errors import GroupAlreadyMarked, GroupDerivedFromData, MarkAlreadyEnded
from monitoring_api.warnings.models import GroupMark
from monitoring_api.warnings.schemas import GroupMarkCreate, GroupMembership

GROUP_ORDER = {group: index for index, group in enumerate(KeyGroup)}
DERIVED_FROM = {KeyGroup.lifted: "household category", KeyGroup.dibao_tekun: "members' 低保/特困 flags"}


async def household_groups(session: AsyncSession, principal: Principal, household_id: int) -> list[GroupMembership]:
    await require_household(session, principal, household_id)
    rows = await membership.household_memberships(session, household_id)
    found = [
        GroupMembership(key_group=KeyGroup(group), basis=GroupBasis(basis), reason=reason, mark_id=mark_id)
        for group, basis, reason, mark_id in rows
    ]
    return sorted(found, key=lambda m: (GROUP_ORDER[m.key_group], m.basis != GroupBasis.derived))


async def mark_group(
    session: AsyncSession, principal: Principal, household_id: int, data: GroupMarkCreate
) -> GroupMark:
    household = await require_household(session, principal, household_id)
    if data.key_group in DERIVED_ONLY_GROUPS:
        raise GroupDerivedFromData(
            group=data.key_group, basis=DERIVED_FROM[data.key_group], rule="key_group_derived_from_data"
        )
    existing = await membership.open_mark(session, household_id, data.key_group)
    if existing is not None:
        raise GroupAlreadyMarked(household_id=household_id, group=data.key_group, mark_id=existing.id)
    mark = GroupMark(
        household_id=household_id,
        region_code=household.region_code,
        key_group=data.key_group,
        reason=data.reason,
        marked_by=principal.subject,
        marked_at=datetime.now(UTC),
    )
    session.add(mark)
    await session.flush()
    return mark


async def end_mark(session: AsyncSession, principal: Principal, household_id: int, mark_id: int) -> GroupMark:
    await require_household(session, principal, household_id)
    mark = await membership.get_mark(session, household_id, mark_id)
    if mark is None:
        raise NotFound(entity="group mark", key=mark_id)
    if mark.ended_at is not None:
        raise MarkAlreadyEnded(mark_id=mark_id)
    mark.ended_at = datetime.now(UTC)
    mark.ended_by = principal.subject
    await session.flush()
    return mark
