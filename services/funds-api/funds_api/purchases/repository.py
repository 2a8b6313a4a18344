"""Every purchase query; the one definition of "the year's purchases" used by every total."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from funds_api.purchases.models import Purchase


def of_year(year: int, region_prefix: str) -> Any:
    """Purchases dated in the calendar year, sold from under the prefix."""
    return and_(
        Purchase.purchased_on >= date(year, 1, 1),
        Purchase.purchased_on <= date(year, 12, 31),
        under_region(Purchase.region_code, region_prefix),
    )


async def get(session: AsyncSession, principal: Principal, purchase_id: int) -> Purchase | None:
    stmt = select(Purchase).where(Purchase.id == purchase_id, in_scope(Purchase.region_code, principal))
    return await session.scalar(stmt)


async def page(
    session: AsyncSession, principal: Principal, params: PageParams, year: int | None, region_prefix: str | None
) -> Sequence[Purchase]:
    stmt: Select[*tuple[Any, ...]] = select(Purchase).where(in_scope(Purchase.region_code, principal))
    if year is not None:
        stmt = stmt.where(of_year(year, region_prefix or principal.region_prefix))
    elif region_prefix is not None:
        stmt = stmt.where(under_region(Purchase.region_code, region_prefix))
    return (await session.scalars(apply_keyset(stmt, [Purchase.id], params))).all()


async def by_seller_type(session: AsyncSession, year: int, region_prefix: str) -> Sequence[Row[*tuple[Any, ...]]]:
    stmt = (
        select(Purchase.seller_type, func.sum(Purchase.amount))
        .where(of_year(year, region_prefix))
        .group_by(Purchase.seller_type)
    )
    return (await session.execute(stmt)).all()


async def by_buyer(session: AsyncSession, year: int, region_prefix: str) -> Sequence[Row[*tuple[Any, ...]]]:
    stmt = (
        select(Purchase.buyer_unit, func.sum(Purchase.amount).label("amount"), func.count().label("purchases"))
        .where(of_year(year, region_prefix))
        .group_by(Purchase.buyer_unit)
        .order_by(func.sum(Purchase.amount).desc(), Purchase.buyer_unit)
    )
    return (await session.execute(stmt)).all()
