"""Every warning query: the set-based resolve and upsert of a recompute, the scoped lists, single-warning lookups."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, literal_column, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.households.models import Household, Member
from monitoring_api.models import COMMON, table_of
from monitoring_api.warnings.conditions import COLUMNS, Scope, latest_income
from monitoring_api.warnings.enums import Grade, Line, Source, SystemRule
from monitoring_api.warnings.models import HouseholdWarning

WARNING = table_of(HouseholdWarning)
OPEN_KEY = ["household_id", "line", "rule", "source", "subject"]


async def years_without_line(session: AsyncSession, scope: Scope, configured: Sequence[int]) -> list[int]:
    """Latest income years in the scope that have no configured income line."""
    latest = latest_income(scope)
    stmt = select(latest.c.year).distinct().where(latest.c.year.not_in(list(configured))).order_by(latest.c.year)
    return list((await session.scalars(stmt)).all())


async def resolve_not_holding(
    session: AsyncSession,
    *,
    rule: str,
    source: str,
    holding: Select,
    within: ColumnElement[bool] | None = None,
) -> int:
    """Resolve the open warnings of a rule and source (within a set of households) whose condition no longer holds
    with the same grade. Used by the system rules' recompute and by the department findings alike."""
    now_holding = holding.subquery("holding")
    stmt = (
        update(WARNING)
        .where(
            WARNING.c.source == source,
            WARNING.c.rule == rule,
            WARNING.c.resolved_at.is_(None),
            true() if within is None else within,
            ~exists().where(
                now_holding.c.household_id == WARNING.c.household_id,
                now_holding.c.subject == WARNING.c.subject,
                now_holding.c.grade == WARNING.c.grade,
            ),
        )
        .values(resolved_at=func.now())
        .returning(WARNING.c.id)
    )
    return len((await session.execute(stmt)).all())


def households_in(scope: Scope) -> Select:
    """The ids of the households a recompute covers, for a warning's `within` condition."""
    return select(Household.id).where(scope.households())


async def resolve_lapsed(
    session: AsyncSession,
    scope: Scope,
    rule: SystemRule,
    holding: Select,
) -> int:
    """Resolve the system rule's open warnings in the scope whose condition (with the same grade) no longer holds."""
    in_scope_households = WARNING.c.household_id.in_(households_in(scope))
    return await resolve_not_holding(
        session, rule=rule.value, source=Source.system.value, holding=holding, within=in_scope_households
    )


async def upsert_holding(session: AsyncSession, holding: Select) -> tuple[int, int]:
    """Raise a warning for each row that has no open one; refresh the data of those that do. (raised, refreshed)"""
    upsert = insert(WARNING).from_select(list(COLUMNS), holding)
    stmt: ReturningInsert[Any] = upsert.on_conflict_do_update(
        index_elements=OPEN_KEY,
        index_where=WARNING.c.resolved_at.is_(None),
        set_={"data": upsert.excluded.data, "region_code": upsert.excluded.region_code},
        where=or_(
            WARNING.c.data.is_distinct_from(upsert.excluded.data),
            WARNING.c.region_code != upsert.excluded.region_code,
        ),
    ).returning(literal_column("xmax = 0").label("inserted"))  # xmax is 0 on a freshly inserted row version
    rows = (await session.execute(stmt)).scalars().all()
    raised = sum(1 for inserted in rows if inserted)
    return raised, len(rows) - raised


async def region_exists(session: AsyncSession, region_code: str) -> bool:
    region = COMMON.region
    return await session.scalar(select(region.c.code).where(region.c.code == region_code)) is not None


async def root_regions(session: AsyncSession) -> list[str]:
    """The top of the region tree (the district): the whole registry lies under these."""
    region = COMMON.region
    return list((await session.scalars(select(region.c.code).where(region.c.parent_code.is_(None)))).all())


async def household_region(session: AsyncSession, household_id: int) -> str | None:
    """Unscoped on purpose: department cross-checks raise warnings on any household of the registry."""
    return await session.scalar(select(Household.region_code).where(Household.id == household_id))


async def open_warning(
    session: AsyncSession, household_id: int, line: Line, rule: str, source: str, subject: str
) -> HouseholdWarning | None:
    stmt = (
        select(HouseholdWarning)
        .where(
            HouseholdWarning.household_id == household_id,
            HouseholdWarning.line == line,
            HouseholdWarning.rule == rule,
            HouseholdWarning.source == source,
            HouseholdWarning.subject == subject,
            HouseholdWarning.resolved_at.is_(None),
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return await session.scalar(stmt)


async def list_warnings(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    household_id: int | None = None,
    line: Line | None = None,
    grade: Grade | None = None,
    region_code: str | None = None,
    include_resolved: bool = False,
) -> Sequence[HouseholdWarning]:
    if household_id is not None:
        # Scoped by where the household is now, so a household that moved keeps its history with it.
        stmt = (
            select(HouseholdWarning)
            .join(Household, Household.id == HouseholdWarning.household_id)
            .where(HouseholdWarning.household_id == household_id, in_scope(Household.region_code, principal))
        )
    else:
        stmt = select(HouseholdWarning).where(in_scope(HouseholdWarning.region_code, principal))
    if region_code is not None:
        stmt = stmt.where(under_region(HouseholdWarning.region_code, regioncode.prefix(region_code)))
    if line is not None:
        stmt = stmt.where(HouseholdWarning.line == line)
    if grade is not None:
        stmt = stmt.where(HouseholdWarning.grade == grade)
    if not include_resolved:
        stmt = stmt.where(HouseholdWarning.resolved_at.is_(None))
    # Recomputes write through Core; fresh rows, not stale identity-map copies.
    stmt = apply_keyset(stmt, [HouseholdWarning.id], params).execution_options(populate_existing=True)
    return (await session.scalars(stmt)).all()


async def household_of_member(session: AsyncSession, member_id: int) -> int | None:
    return await session.scalar(select(Member.household_id).where(Member.id == member_id))
