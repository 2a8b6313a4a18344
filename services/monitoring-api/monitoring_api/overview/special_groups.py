"""The special groups (特殊群体, §9) as set-based queries over the caller's region, one row per household."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, Row, Select, and_, case, cast, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.households.enums import Category, HouseholdStatus, LabourSkill, MemberStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.income.models import HouseholdIncome
from monitoring_api.overview.schemas import SpecialGroup
from monitoring_api.rules import RuleSettings

CAN_WORK = [skill for skill in LabourSkill if skill.can_work]


def _household_columns(detail: ColumnElement[Any]) -> Select[*tuple[Any, ...]]:
    return select(
        Household.id.label("household_id"),
        Household.region_code,
        Household.head_name,
        Household.category,
        Household.included_on,
        detail.label("detail"),
    )


def labour_shortage() -> Select[*tuple[Any, ...]]:
    """家庭劳动力不足: members, but none whose 劳动技能 lets them work."""
    active = and_(Member.household_id == Household.id, Member.status == MemberStatus.active)
    members = select(func.count()).where(active).scalar_subquery()
    return _household_columns(func.jsonb_build_object("active_members", members)).where(
        exists().where(active), ~exists().where(active, Member.labour_skill.in_(CAN_WORK))
    )


def income_decline(years: int, scope: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """连续N年收入下降: per-capita net income fell in each of the last N year-on-year comparisons, year after year.

    The window runs over the caller's households only (`scope`), not the whole registry.
    """
    income = HouseholdIncome
    rows = select(
        income.household_id,
        income.year,
        income.per_capita_net_income.label("per_capita"),
        func.lag(income.year).over(partition_by=income.household_id, order_by=income.year).label("prev_year"),
        func.lag(income.per_capita_net_income)
        .over(partition_by=income.household_id, order_by=income.year)
        .label("prev_per_capita"),
        func.row_number().over(partition_by=income.household_id, order_by=income.year.desc()).label("rank"),
    )
    ranked = rows.join(Household, Household.id == income.household_id).where(scope).subquery("ranked")
    fell = and_(ranked.c.prev_year == ranked.c.year - 1, ranked.c.per_capita < ranked.c.prev_per_capita)
    declining = (
        select(
            ranked.c.household_id,
            func.max(ranked.c.year).label("to_year"),
            func.max(case((ranked.c.rank == 1, ranked.c.per_capita))).label("latest"),
            func.max(case((ranked.c.rank == years, ranked.c.prev_per_capita))).label("earliest"),
        )
        .where(ranked.c.rank <= years)
        .group_by(ranked.c.household_id)
        # bool_and skips NULLs, so a first year with nothing before it must count as "did not fall".
        .having(func.count() == years, func.bool_and(func.coalesce(fell, False)))
        .subquery("declining")
    )
    detail = func.jsonb_build_object(
        "from_year",
        declining.c.to_year - years,
        "to_year",
        declining.c.to_year,
        "from_per_capita_net_income",
        declining.c.earliest,
        "to_per_capita_net_income",
        declining.c.latest,
    )
    return _household_columns(detail).join(declining, declining.c.household_id == Household.id)


def long_at_risk(months: int, today: date) -> Select[*tuple[Any, ...]]:
    """超过N个月未取消风险: a subject still at risk (not marked 风险消除) more than N months after inclusion."""
    # Calendar-month arithmetic as PostgreSQL does it (31 August + 6 months = 28 February).
    at_risk_for = cast(Household.included_on + func.make_interval(0, months), Date)
    detail = func.jsonb_build_object("included_on", Household.included_on, "more_than_months", months)
    return _household_columns(detail).where(
        Household.at_risk,
        Household.included_on.is_not(None),
        at_risk_for < today,
    )


async def list_special_group(
    session: AsyncSession,
    principal: Principal,
    kind: SpecialGroup,
    params: PageParams,
    *,
    rules: RuleSettings,
    today: date,
    region_code: str | None = None,
    category: Category | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    if kind is SpecialGroup.labour_shortage:
        stmt = labour_shortage()
    elif kind is SpecialGroup.income_decline:
        stmt = income_decline(rules.income_decline_years, in_scope(Household.region_code, principal))
    else:
        stmt = long_at_risk(rules.at_risk_months, today)
    stmt = stmt.where(in_scope(Household.region_code, principal), Household.status == HouseholdStatus.active)
    if region_code is not None:
        stmt = stmt.where(under_region(Household.region_code, regioncode.prefix(region_code)))
    if category is not None:
        stmt = stmt.where(Household.category == category)
    return (await session.execute(apply_keyset(stmt, [Household.id], params))).all()
