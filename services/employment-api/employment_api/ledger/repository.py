"""Every ledger query; region scoping in the query itself."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from employment_api.labourers import NAMED, rows_naming
from employment_api.ledger.models import LedgerEntry, LedgerMonth
from employment_api.models import COMMON
from employment_api.roster.definitions import on_roster_in
from employment_api.roster.models import Labourer
from employment_api.rules import RuleSettings

REGION = COMMON.region


async def labourer(
    session: AsyncSession, principal: Principal, labourer_id: int, month: date, rules: RuleSettings
) -> tuple[Labourer | None, bool]:
    """The labourer if the caller may see them, and whether they are on the roster that month."""
    stmt = select(Labourer, on_roster_in(month, rules)).where(
        Labourer.id == labourer_id, in_scope(Labourer.region_code, principal)
    )
    row = (await session.execute(stmt)).first()
    return (row[0], bool(row[1])) if row else (None, False)


async def entry(session: AsyncSession, principal: Principal, entry_id: int) -> LedgerEntry | None:
    stmt = select(LedgerEntry).where(LedgerEntry.id == entry_id, in_scope(LedgerEntry.region_code, principal))
    return await session.scalar(stmt)


async def entry_for(session: AsyncSession, labourer_id: int, month: date) -> LedgerEntry | None:
    stmt = select(LedgerEntry).where(LedgerEntry.labourer_id == labourer_id, LedgerEntry.month == month)
    return await session.scalar(stmt)


async def is_village(session: AsyncSession, region_code: str) -> bool:
    stmt = select(REGION.c.code).where(REGION.c.code == region_code, REGION.c.level == "village")
    return await session.scalar(stmt) is not None


async def month_row(session: AsyncSession, region_code: str, month: date, *, lock: bool = False) -> LedgerMonth:
    """The village's month, made on first use; locked when a write depends on its state (submit vs. edits)."""
    await session.execute(
        insert(LedgerMonth)
        .values(region_code=region_code, month=month, version=1, submitted_late=False, confirmed_late=False)
        .on_conflict_do_nothing(index_elements=["region_code", "month"])
    )
    stmt = select(LedgerMonth).where(LedgerMonth.region_code == region_code, LedgerMonth.month == month)
    if lock:
        stmt = stmt.with_for_update()
    found = await session.scalar(stmt.execution_options(populate_existing=True))
    assert found is not None
    return found


async def missing_entries(session: AsyncSession, region_code: str, month: date, rules: RuleSettings) -> int:
    has_entry = select(LedgerEntry.id).where(LedgerEntry.labourer_id == Labourer.id, LedgerEntry.month == month)
    stmt = select(func.count()).where(
        Labourer.region_code == region_code, on_roster_in(month, rules), ~has_entry.exists()
    )
    return await session.scalar(stmt) or 0


async def page_entries(
    session: AsyncSession,
    principal: Principal,
    month: date,
    params: PageParams,
    *,
    region_code: str | None,
    status: str | None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    """The month's entries with the labourer's name (an inner join: labourers are never deleted). Scoped, as before,
    by the entry's own village (where it was made): only the name comes from the roster."""
    in_region = in_scope(LedgerEntry.region_code, principal)
    stmt = rows_naming(LedgerEntry, NAMED).where(LedgerEntry.month == month, in_region)
    if region_code is not None:
        stmt = stmt.where(under_region(LedgerEntry.region_code, regioncode.prefix(region_code)))
    if status is not None:
        stmt = stmt.where(LedgerEntry.status == status)
    keys = [LedgerEntry.region_code, LedgerEntry.labourer_id]
    return (await session.execute(apply_keyset(stmt, keys, params))).all()


async def village_months(
    session: AsyncSession, principal: Principal, month: date, rules: RuleSettings, region_code: str | None
) -> Sequence[Any]:
    """Every village in scope with its roster size, entries and the month's submission and confirmation."""
    labourers = (
        select(Labourer.region_code, func.count().label("n"))
        .where(on_roster_in(month, rules), in_scope(Labourer.region_code, principal))
        .group_by(Labourer.region_code)
        .subquery()
    )
    entries = (
        select(LedgerEntry.region_code, func.count().label("n"))
        .where(LedgerEntry.month == month, in_scope(LedgerEntry.region_code, principal))
        .group_by(LedgerEntry.region_code)
        .subquery()
    )
    stmt = (
        select(
            REGION.c.code.label("region_code"),
            REGION.c.name,
            REGION.c.parent_code,
            func.coalesce(labourers.c.n, 0).label("labourers"),
            func.coalesce(entries.c.n, 0).label("entries"),
            LedgerMonth.submitted_at,
            func.coalesce(LedgerMonth.submitted_late, False).label("submitted_late"),
            LedgerMonth.confirmed_at,
            func.coalesce(LedgerMonth.confirmed_late, False).label("confirmed_late"),
        )
        .select_from(REGION)
        .outerjoin(labourers, labourers.c.region_code == REGION.c.code)
        .outerjoin(entries, entries.c.region_code == REGION.c.code)
        .outerjoin(LedgerMonth, (LedgerMonth.region_code == REGION.c.code) & (LedgerMonth.month == month))
        .where(REGION.c.level == "village", in_scope(REGION.c.code, principal))
        .order_by(REGION.c.code)
    )
    if region_code is not None:
        stmt = stmt.where(under_region(REGION.c.code, regioncode.prefix(region_code)))
    return (await session.execute(stmt)).all()


async def region_names(session: AsyncSession, codes: Sequence[str]) -> dict[str, str]:
    rows = await session.execute(select(REGION.c.code, REGION.c.name).where(REGION.c.code.in_(codes)))
    return {code: name for code, name in rows.all()}
