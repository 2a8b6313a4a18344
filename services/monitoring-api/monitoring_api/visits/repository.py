"""Every pairing and visit query, and the set-based overdue-visit list; scoping is applied in the query itself.

A cadre (role cadre) sees only the households actively paired with them: their token subject (`user:<id>`, the form
the API shows and a pairing stores) is the pairing's cadre_user_id.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, Row, Select, and_, case, cast, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, Role, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.households.enums import VISITED, HouseholdStatus
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings
from monitoring_api.visits.models import Pairing, Visit
from monitoring_api.visits.schemas import GroupBy

UNPAIRED = "未结对"


def cadre_id(principal: Principal) -> str:
    return principal.subject


def _paired_with(principal: Principal, household_id: Any) -> ColumnElement[bool]:
    return exists().where(
        Pairing.household_id == household_id, Pairing.until.is_(None), Pairing.cadre_user_id == cadre_id(principal)
    )


def _visible(principal: Principal, region_code: Any, household_id: Any) -> ColumnElement[bool]:
    clause = in_scope(region_code, principal)
    if principal.role == Role.cadre:
        clause = and_(clause, _paired_with(principal, household_id))
    return clause


async def get_household(session: AsyncSession, principal: Principal, household_id: int) -> Household | None:
    stmt = select(Household).where(
        Household.id == household_id, _visible(principal, Household.region_code, Household.id)
    )
    return await session.scalar(stmt)


async def get_household_with_members(
    session: AsyncSession, principal: Principal, household_id: int
) -> Household | None:
    stmt = (
        select(Household)
        .options(selectinload(Household.members))
        .where(Household.id == household_id, _visible(principal, Household.region_code, Household.id))
    )
    return await session.scalar(stmt)


async def list_paired_households(
    session: AsyncSession, principal: Principal, params: PageParams
) -> Sequence[Household]:
    """Households with an active pairing the caller may see (a cadre: the ones paired with them)."""
    active = exists().where(Pairing.household_id == Household.id, Pairing.until.is_(None))
    stmt = select(Household).where(active, _visible(principal, Household.region_code, Household.id))
    return (await session.scalars(apply_keyset(stmt, [Household.id], params))).all()


async def get_pairing(session: AsyncSession, principal: Principal, pairing_id: int) -> Pairing | None:
    stmt = select(Pairing).where(Pairing.id == pairing_id, in_scope(Pairing.region_code, principal))
    if principal.role == Role.cadre:
        stmt = stmt.where(Pairing.cadre_user_id == cadre_id(principal))
    return await session.scalar(stmt)


async def active_pairing(session: AsyncSession, household_id: int) -> Pairing | None:
    stmt = select(Pairing).where(Pairing.household_id == household_id, Pairing.until.is_(None))
    return await session.scalar(stmt)


async def list_pairings(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    household_id: int | None = None,
    cadre_user_id: str | None = None,
    active: bool | None = None,
) -> Sequence[Pairing]:
    stmt = select(Pairing).where(in_scope(Pairing.region_code, principal))
    if principal.role == Role.cadre:
        stmt = stmt.where(Pairing.cadre_user_id == cadre_id(principal))
    if household_id is not None:
        stmt = stmt.where(Pairing.household_id == household_id)
    if cadre_user_id is not None:
        stmt = stmt.where(Pairing.cadre_user_id == cadre_user_id)
    if active is not None:
        stmt = stmt.where(Pairing.until.is_(None) if active else Pairing.until.is_not(None))
    return (await session.scalars(apply_keyset(stmt, [Pairing.id], params))).all()


async def get_visit(session: AsyncSession, principal: Principal, visit_id: int) -> Visit | None:
    stmt = select(Visit).where(Visit.id == visit_id, _visible(principal, Visit.region_code, Visit.household_id))
    return await session.scalar(stmt)


async def list_visits(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    household_id: int | None = None,
    region_code: str | None = None,
    cadre_user_id: str | None = None,
    visited_from: date | None = None,
    visited_to: date | None = None,
) -> Sequence[Visit]:
    stmt = select(Visit).where(_visible(principal, Visit.region_code, Visit.household_id))
    if household_id is not None:
        stmt = stmt.where(Visit.household_id == household_id)
    if region_code is not None:
        stmt = stmt.where(under_region(Visit.region_code, regioncode.prefix(region_code)))
    if cadre_user_id is not None:
        stmt = stmt.where(Visit.cadre_user_id == cadre_user_id)
    if visited_from is not None:
        stmt = stmt.where(Visit.visited_on >= visited_from)
    if visited_to is not None:
        stmt = stmt.where(Visit.visited_on <= visited_to)
    return (await session.scalars(apply_keyset(stmt, [Visit.id], params))).all()


def _overdue(
    today: date, rules: RuleSettings, scope: ColumnElement[bool], principal: Principal | None
) -> Select[*tuple[Any, ...]]:
    """Households whose next visit was due before today.

    due_on = last visit + cadence months (monthly for subjects at risk, every two months for other 脱贫户 and for
    subjects whose risk was marked eliminated: they stay in the cadence, VISITED keeps their category); a household
    never visited counts from the later of its active pairing's start and its inclusion, else from its registration.
    A visit exactly cadence months after the last one is on time; from the next day the household is overdue.
    """
    # The household row keeps its last visit (the visit table's triggers): a scan, no look-up among the visits.
    last_on = Household.last_visited_on
    # Subjects at risk monthly; lifted households and subjects marked 风险消除 every two months (§17).
    cadence = case((Household.at_risk, rules.visit_every_months_subject), else_=rules.visit_every_months_lifted)
    start = func.coalesce(
        last_on, func.greatest(Pairing.since, Household.included_on), cast(Household.created_at, Date)
    )
    due = cast(start + func.make_interval(0, cast(cadence, Integer)), Date)
    stmt = (
        select(
            Household.id.label("household_id"),
            Household.region_code,
            Household.head_name,
            Household.category,
            cadence.label("cadence_months"),
            last_on.label("last_visited_on"),
            due.label("due_on"),
            Pairing.id.label("pairing_id"),
            Pairing.cadre_user_id,
            Pairing.cadre_name,
            Pairing.cadre_phone,
        )
        .select_from(Household)
        .outerjoin(Pairing, and_(Pairing.household_id == Household.id, Pairing.until.is_(None)))
        .where(Household.status == HouseholdStatus.active, Household.category.in_(sorted(VISITED)), due < today, scope)
    )
    if principal is not None and principal.role == Role.cadre:
        stmt = stmt.where(Pairing.cadre_user_id == cadre_id(principal))
    return stmt


def _scope(principal: Principal, region_code: str | None) -> ColumnElement[bool]:
    clause = in_scope(Household.region_code, principal)
    if region_code is not None:
        clause = and_(clause, under_region(Household.region_code, regioncode.prefix(region_code)))
    return clause


async def overdue_households(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    today: date,
    rules: RuleSettings,
    region_code: str | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    stmt = _overdue(today, rules, _scope(principal, region_code), principal)
    return (await session.execute(apply_keyset(stmt, [Household.id], params))).all()


async def overdue_counts(
    session: AsyncSession,
    principal: Principal,
    group_by: GroupBy,
    *,
    today: date,
    rules: RuleSettings,
    region_code: str | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Overdue households counted per cadre, village or town, in one GROUP BY over the whole scope."""
    overdue = _overdue(today, rules, _scope(principal, region_code), principal).subquery()
    if group_by is GroupBy.cadre:
        key = func.coalesce(overdue.c.cadre_user_id, overdue.c.cadre_phone)
        name = func.coalesce(overdue.c.cadre_name, case((key.is_(None), literal(UNPAIRED))))
        stmt = select(key.label("key"), name.label("name"), func.count().label("count")).group_by(key, name)
        return (await session.execute(stmt.order_by(func.count().desc(), key))).all()
    region = COMMON.region
    digits = 12 if group_by is GroupBy.village else 9
    code = func.rpad(func.substr(overdue.c.region_code, 1, digits), 12, "0")
    grouped = select(code.label("key"), func.count().label("count")).group_by(code).subquery()
    stmt = (
        select(grouped.c.key, region.c.name, grouped.c["count"])
        .select_from(grouped)
        .outerjoin(region, region.c.code == grouped.c.key)
        .order_by(grouped.c["count"].desc(), grouped.c.key)
    )
    return (await session.execute(stmt)).all()


def overdue_visit_items(
    today: date, rules: RuleSettings, region_prefix: str, principal: Principal | None = None
) -> Select[*tuple[Any, ...]]:
    """One row per household with an overdue visit under the prefix (has region_code): for counts and the overview."""
    scope = under_region(Household.region_code, region_prefix)
    if principal is not None:
        scope = and_(scope, _visible(principal, Household.region_code, Household.id))
    return _overdue(today, rules, scope, principal)


async def count_overdue_visits(session: AsyncSession, region_prefix: str, today: date, rules: RuleSettings) -> int:
    overdue = overdue_visit_items(today, rules, region_prefix).subquery()
    return int(await session.scalar(select(func.count()).select_from(overdue)) or 0)
