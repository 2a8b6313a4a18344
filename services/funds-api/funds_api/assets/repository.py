"""Every query of project assets and their upkeep; region scoping in the query."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Subquery, and_, case, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from funds_api.assets.enums import LedgerLevel, UpkeepLevel
from funds_api.assets.models import Asset, AssetUpkeep
from funds_api.models import COMMON


def scope(principal: Principal | None, region_prefix: str | None) -> ColumnElement[bool]:
    clauses = []
    if principal is not None:
        clauses.append(in_scope(Asset.region_code, principal))
    if region_prefix is not None:
        clauses.append(under_region(Asset.region_code, region_prefix))
    return and_(true(), *clauses)


async def get(session: AsyncSession, principal: Principal, asset_id: int, *, lock: bool = False) -> Asset | None:
    stmt = select(Asset).where(Asset.id == asset_id, in_scope(Asset.region_code, principal))
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def region_level(session: AsyncSession, code: str) -> str | None:
    return await session.scalar(select(COMMON.region.c.level).where(COMMON.region.c.code == code))


async def page(
    session: AsyncSession, principal: Principal, params: PageParams, region_prefix: str | None, **filters: Any
) -> Sequence[Asset]:
    stmt = select(Asset).where(scope(principal, region_prefix))
    for field, value in filters.items():
        if value is not None:
            stmt = stmt.where(getattr(Asset, field) == value)
    return (await session.scalars(apply_keyset(stmt, [Asset.id], params))).all()


async def ledger(
    session: AsyncSession, principal: Principal, level: LedgerLevel, region_prefix: str | None
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Assets in service on the level's ledgers, per keeper (region, or department) and category."""
    keeper = Asset.department if level is LedgerLevel.department else Asset.region_code
    stmt = (
        select(
            keeper.label("keeper"),
            COMMON.region.c.name,
            Asset.category,
            func.count().label("assets"),
            func.sum(Asset.value).label("value"),
        )
        .outerjoin(COMMON.region, COMMON.region.c.code == Asset.region_code)
        .where(Asset.ledger_level == level, Asset.disposed_on.is_(None), scope(principal, region_prefix))
        .group_by(keeper, COMMON.region.c.name, Asset.category)
        .order_by(keeper, Asset.category)
    )
    return (await session.execute(stmt)).all()


async def upkeep_records(session: AsyncSession, asset_id: int) -> Sequence[AssetUpkeep]:
    stmt = select(AssetUpkeep).where(AssetUpkeep.asset_id == asset_id).order_by(AssetUpkeep.done_on, AssetUpkeep.id)
    return (await session.scalars(stmt)).all()


async def missing_page(session: AsyncSession, missing: Subquery, params: PageParams) -> Sequence[Row[*tuple[Any, ...]]]:
    keys = [missing.c.period_end, missing.c.level, missing.c.asset_id]
    return (await session.execute(apply_keyset(select(missing), keys, params))).all()


async def missing_counts(session: AsyncSession, missing: Subquery) -> dict[str, int]:
    stmt = select(missing.c.level, func.count()).group_by(missing.c.level)
    return {level: int(n) for level, n in (await session.execute(stmt)).all()}


async def missing_by_place(session: AsyncSession, missing: Subquery) -> Sequence[Row[*tuple[Any, ...]]]:
    """(acting place, level, period_end, count).

    村级管护 falls to the asset's keeper, 乡镇巡查 to its town, 区级督导 to the district.
    """
    place = case(
        (missing.c.level == UpkeepLevel.village.value, missing.c.region_code),
        (missing.c.level == UpkeepLevel.town.value, func.rpad(func.left(missing.c.region_code, 9), 12, "0")),
        else_=func.rpad(func.left(missing.c.region_code, 6), 12, "0"),
    )
    stmt = (
        select(place.label("region_code"), missing.c.level, missing.c.period_end, func.count().label("count"))
        .group_by(place, missing.c.level, missing.c.period_end)
        .order_by(missing.c.level, place)
    )
    return (await session.execute(stmt)).all()
