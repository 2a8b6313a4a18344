"""Business rules of pairings and home visits. Takes the session first; flushes, never commits."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import outbox
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.concurrency import check_version
from dixian_shared.contracts import Topic
from dixian_shared.errors import InvalidField, NotFound
from dixian_shared.pagination import PageParams
from monitoring_api.households.enums import HouseholdStatus
from monitoring_api.households.models import Household
from monitoring_api.income import repository as income_repository
from monitoring_api.income.models import VerifiedIncome
from monitoring_api.measures.errors import HouseholdNotActive, NotInFuture
from monitoring_api.rules import RuleSettings
from monitoring_api.visits import repository
from monitoring_api.visits.errors import PairingActive, PairingEnded
from monitoring_api.visits.models import Pairing, Visit
from monitoring_api.visits.schemas import GroupBy, PairingCreate, PairingEnd, VisitCreate


async def require_household(session: AsyncSession, principal: Principal, household_id: int) -> Household:
    household = await repository.get_household(session, principal, household_id)
    if household is None:
        raise NotFound(entity="household", key=household_id)
    return household


async def _require_active_household(session: AsyncSession, principal: Principal, household_id: int) -> Household:
    household = await require_household(session, principal, household_id)
    if household.status != HouseholdStatus.active:
        raise HouseholdNotActive(household_id=household.id, status=household.status)
    return household


def _not_after_today(field: str, value: date, today: date) -> None:
    if value > today:
        raise NotInFuture(field=field, value=value, today=today)


async def require_pairing(session: AsyncSession, principal: Principal, pairing_id: int) -> Pairing:
    pairing = await repository.get_pairing(session, principal, pairing_id)
    if pairing is None:
        raise NotFound(entity="pairing", key=pairing_id)
    return pairing


async def create_pairing(session: AsyncSession, principal: Principal, data: PairingCreate, today: date) -> Pairing:
    household = await _require_active_household(session, principal, data.household_id)
    _not_after_today("since", data.since, today)
    current = await repository.active_pairing(session, household.id)
    if current is not None:
        raise PairingActive(household_id=household.id, pairing_id=current.id, since=current.since)
    pairing = Pairing(region_code=household.region_code, **data.model_dump())
    session.add(pairing)
    await session.flush()
    return pairing


async def end_pairing(
    session: AsyncSession, principal: Principal, pairing_id: int, if_match: str | None, data: PairingEnd, today: date
) -> Pairing:
    pairing = await require_pairing(session, principal, pairing_id)
    check_version(if_match, pairing.version)
    if pairing.until is not None:
        raise PairingEnded(pairing_id=pairing.id, until=pairing.until)
    _not_after_today("until", data.until, today)
    if data.until < pairing.since:
        raise InvalidField(
            "body.until",
            f"a pairing cannot end before it began ({pairing.since})",
            f"结对结束日期不能早于开始日期（{pairing.since}）",
        )
    pairing.until = data.until
    pairing.end_reason = data.reason
    await session.flush()
    return pairing


async def list_pairings(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Pairing]:
    return await repository.list_pairings(session, principal, params, **filters)


async def record_visit(
    session: AsyncSession, principal: Principal, household_id: int, data: VisitCreate, today: date
) -> Visit:
    household = await _require_active_household(session, principal, household_id)
    _not_after_today("visited_on", data.visited_on, today)
    pairing = await repository.active_pairing(session, household.id)
    is_cadre = principal.role == Role.cadre
    cadre_name = data.cadre or (principal.name if is_cadre else None) or (pairing.cadre_name if pairing else None)
    if not cadre_name:
        raise InvalidField(
            "body.cadre",
            "name the visiting cadre (the household has no paired cadre with a name)",
            "请填写走访干部（该户没有登记姓名的结对干部）",
        )
    # The visit is the paired cadre's when the caller is that cadre, or names nobody else.
    if is_cadre:
        cadre_user_id: str | None = repository.cadre_id(principal)
    elif pairing is not None and data.cadre in (None, pairing.cadre_name):
        cadre_user_id = pairing.cadre_user_id
    else:
        cadre_user_id = None
    visit = Visit(
        household_id=household.id,
        region_code=household.region_code,
        pairing_id=pairing.id if pairing else None,
        cadre_user_id=cadre_user_id,
        cadre_name=cadre_name,
        visited_on=data.visited_on,
        findings=data.findings,
        problems_raised=data.problems_raised,
    )
    session.add(visit)
    await session.flush()
    await outbox.publish_change(session, Topic.visit_changed, "visit", visit.id, visit.region_code, "created")
    return visit


async def require_visit(session: AsyncSession, principal: Principal, visit_id: int) -> Visit:
    visit = await repository.get_visit(session, principal, visit_id)
    if visit is None:
        raise NotFound(entity="visit", key=visit_id)
    return visit


async def list_visits(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Visit]:
    if (household_id := filters.get("household_id")) is not None:
        await require_household(session, principal, household_id)
    return await repository.list_visits(session, principal, params, **filters)


async def overdue_visits(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    rules: RuleSettings,
    today: date,
    *,
    group_by: GroupBy | None,
    region_code: str | None,
) -> tuple[Sequence[Row[*tuple[Any, ...]]], Sequence[Row[*tuple[Any, ...]]] | None]:
    rows = await repository.overdue_households(
        session, principal, params, today=today, rules=rules, region_code=region_code
    )
    counts = None
    if group_by is not None:
        counts = await repository.overdue_counts(
            session, principal, group_by, today=today, rules=rules, region_code=region_code
        )
    return rows, counts


async def require_paired_household(session: AsyncSession, principal: Principal, household_id: int) -> Household:
    """A household with its members, for the cadre paired with it (or staff of its region)."""
    household = await repository.get_household_with_members(session, principal, household_id)
    if household is None:
        raise NotFound(entity="household", key=household_id)
    return household


async def paired_household_detail(
    session: AsyncSession, principal: Principal, household_id: int
) -> tuple[Household, Sequence[VerifiedIncome]]:
    """The paired household with the province's income verifications, as the registry's detail shows them."""
    household = await require_paired_household(session, principal, household_id)
    return household, await income_repository.verified_incomes(session, household.id)


async def list_paired_households(
    session: AsyncSession, principal: Principal, params: PageParams
) -> Sequence[Household]:
    return await repository.list_paired_households(session, principal, params)
