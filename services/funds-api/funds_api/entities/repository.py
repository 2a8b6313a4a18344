"""Every query of entities, bases and links; scoping in the query; the one definition of "operating in a year"."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, and_, func, literal, or_, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from funds_api.entities.models import BusinessEntity, FarmerLink, IndustrialBase
from funds_api.models import COMMON


def operating_in(model: type[BusinessEntity] | type[IndustrialBase], year: int) -> ColumnElement[bool]:
    """Operating at some time in the year: established by its end, not closed before its start."""
    return and_(
        model.established_on <= date(year, 12, 31), or_(model.closed_on.is_(None), model.closed_on >= date(year, 1, 1))
    )


async def get_entity(session: AsyncSession, principal: Principal, entity_id: int) -> BusinessEntity | None:
    stmt = select(BusinessEntity).where(BusinessEntity.id == entity_id, in_scope(BusinessEntity.region_code, principal))
    return await session.scalar(stmt)


async def get_base(session: AsyncSession, principal: Principal, base_id: int) -> IndustrialBase | None:
    stmt = select(IndustrialBase).where(IndustrialBase.id == base_id, in_scope(IndustrialBase.region_code, principal))
    return await session.scalar(stmt)


async def region_level(session: AsyncSession, code: str) -> str | None:
    return await session.scalar(select(COMMON.region.c.level).where(COMMON.region.c.code == code))


def _filters(model: Any, principal: Principal, region_prefix: str | None, year: int | None) -> list[Any]:
    clauses = [in_scope(model.region_code, principal)]
    if region_prefix is not None:
        clauses.append(under_region(model.region_code, region_prefix))
    if year is not None:
        clauses.append(operating_in(model, year))
    return clauses


async def list_entities(
    session: AsyncSession, principal: Principal, params: PageParams, region_prefix: str | None, year: int | None
) -> Sequence[BusinessEntity]:
    stmt = select(BusinessEntity).where(*_filters(BusinessEntity, principal, region_prefix, year))
    return (await session.scalars(apply_keyset(stmt, [BusinessEntity.id], params))).all()


async def list_bases(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    region_prefix: str | None,
    year: int | None,
    entity_id: int | None,
) -> Sequence[IndustrialBase]:
    stmt = select(IndustrialBase).where(*_filters(IndustrialBase, principal, region_prefix, year))
    if entity_id is not None:
        stmt = stmt.where(IndustrialBase.entity_id == entity_id)
    return (await session.scalars(apply_keyset(stmt, [IndustrialBase.id], params))).all()


async def list_links(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    region_prefix: str | None,
    year: int | None,
    entity_id: int | None,
) -> Sequence[FarmerLink]:
    stmt = select(FarmerLink).where(in_scope(FarmerLink.region_code, principal))
    if region_prefix is not None:
        stmt = stmt.where(under_region(FarmerLink.region_code, region_prefix))
    if year is not None:
        stmt = stmt.where(FarmerLink.year == year)
    if entity_id is not None:
        stmt = stmt.where(FarmerLink.entity_id == entity_id)
    return (await session.scalars(apply_keyset(stmt, [FarmerLink.id], params))).all()


async def year_totals(session: AsyncSession, year: int, region_prefix: str) -> Row[*tuple[Any, ...]]:
    """The year's totals under the prefix, in one statement (the overview and the baseline both use it)."""

    def count_operating(model: Any) -> Any:
        return (
            select(func.count())
            .where(operating_in(model, year), under_region(model.region_code, region_prefix))
            .scalar_subquery()
        )

    links = select(
        func.coalesce(func.sum(FarmerLink.households), 0).label("households_linked"),
        func.coalesce(func.sum(FarmerLink.lifted_households), 0).label("lifted_households_linked"),
        func.coalesce(func.sum(FarmerLink.people), 0).label("people_employed"),
        func.coalesce(func.sum(FarmerLink.amount), 0).label("amount_to_farmers"),
    ).where(FarmerLink.year == year, under_region(FarmerLink.region_code, region_prefix))
    sub = links.subquery()
    stmt = select(
        count_operating(BusinessEntity).label("entities"),
        count_operating(IndustrialBase).label("bases"),
        sub.c.households_linked,
        sub.c.lifted_households_linked,
        sub.c.people_employed,
        sub.c.amount_to_farmers,
    )
    return (await session.execute(stmt)).one()


async def key_village_bases(
    session: AsyncSession, key_villages: list[str], year: int, region_prefix: str
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Each key-assistance village under the prefix with the number of bases operating in it that year."""
    if not key_villages:
        return []
    villages = select(func.unnest(array([literal(code) for code in key_villages])).label("code")).subquery()
    bases = (
        select(func.count())
        .where(IndustrialBase.region_code == villages.c.code, operating_in(IndustrialBase, year))
        .scalar_subquery()
    )
    stmt = (
        select(villages.c.code.label("region_code"), COMMON.region.c.name, bases.label("bases"))
        .select_from(villages)
        .outerjoin(COMMON.region, COMMON.region.c.code == villages.c.code)
        .where(under_region(villages.c.code, region_prefix))
        .order_by(villages.c.code)
    )
    return (await session.execute(stmt)).all()
