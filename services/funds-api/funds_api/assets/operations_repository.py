"""Queries of asset surveys, income and distribution, and PV output; scoping in the query."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from funds_api.assets.enums import AssetKind, SurveyState
from funds_api.assets.models import Asset, AssetIncome, AssetSurvey, IncomeDistribution, PvOutput


def _year(column: Any, year: int) -> Any:
    return column.between(date(year, 1, 1), date(year, 12, 31))


async def get_survey(session: AsyncSession, principal: Principal, survey_id: int) -> AssetSurvey | None:
    stmt = select(AssetSurvey).where(AssetSurvey.id == survey_id, in_scope(AssetSurvey.region_code, principal))
    return await session.scalar(stmt)


async def surveys(
    session: AsyncSession, principal: Principal, params: PageParams, state: SurveyState | None, prefix: str | None
) -> Sequence[AssetSurvey]:
    stmt = select(AssetSurvey).where(in_scope(AssetSurvey.region_code, principal))
    if state is not None:
        stmt = stmt.where(AssetSurvey.state == state)
    if prefix is not None:
        stmt = stmt.where(under_region(AssetSurvey.region_code, prefix))
    return (await session.scalars(apply_keyset(stmt, [AssetSurvey.id], params))).all()


async def survey_counts(session: AsyncSession, prefix: str) -> dict[str, int]:
    stmt = (
        select(AssetSurvey.state, func.count())
        .where(under_region(AssetSurvey.region_code, prefix))
        .group_by(AssetSurvey.state)
    )
    return {state: int(n) for state, n in (await session.execute(stmt)).all()}


async def get_income(
    session: AsyncSession, principal: Principal, income_id: int, *, lock: bool = False
) -> AssetIncome | None:
    stmt = select(AssetIncome).where(AssetIncome.id == income_id, in_scope(AssetIncome.region_code, principal))
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def distributed(session: AsyncSession, income_id: int) -> Decimal:
    stmt = select(func.coalesce(func.sum(IncomeDistribution.amount), 0)).where(
        IncomeDistribution.income_id == income_id
    )
    return Decimal(await session.scalar(stmt) or 0)


async def income_of_year(session: AsyncSession, year: int, prefix: str) -> Decimal:
    stmt = select(func.coalesce(func.sum(AssetIncome.amount), 0)).where(
        _year(AssetIncome.received_on, year), under_region(AssetIncome.region_code, prefix)
    )
    return Decimal(await session.scalar(stmt) or 0)


async def distributed_by_group(session: AsyncSession, year: int, prefix: str) -> Sequence[Row[*tuple[Any, ...]]]:
    """What was distributed in the year, per beneficiary group, from incomes of assets under the prefix."""
    stmt = (
        select(IncomeDistribution.group, func.sum(IncomeDistribution.amount))
        .join(AssetIncome, AssetIncome.id == IncomeDistribution.income_id)
        .where(_year(IncomeDistribution.distributed_on, year), under_region(AssetIncome.region_code, prefix))
        .group_by(IncomeDistribution.group)
    )
    return (await session.execute(stmt)).all()


async def pv_year(
    session: AsyncSession, principal: Principal, year: int, prefix: str | None
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Each photovoltaic station in scope with its reported months, output and income in the year."""
    reported = (
        select(
            PvOutput.asset_id,
            func.count().label("months_reported"),
            func.sum(PvOutput.output_kwh).label("output_kwh"),
            func.sum(PvOutput.income).label("income"),
        )
        .where(_year(PvOutput.month, year))
        .group_by(PvOutput.asset_id)
        .subquery()
    )
    stmt = (
        select(
            Asset.id.label("asset_id"),
            Asset.name,
            Asset.region_code,
            func.coalesce(reported.c.months_reported, 0).label("months_reported"),
            func.coalesce(reported.c.output_kwh, 0).label("output_kwh"),
            func.coalesce(reported.c.income, 0).label("income"),
        )
        .outerjoin(reported, reported.c.asset_id == Asset.id)
        .where(Asset.kind == AssetKind.pv_station, in_scope(Asset.region_code, principal))
        .order_by(Asset.region_code, Asset.id)
    )
    if prefix is not None:
        stmt = stmt.where(under_region(Asset.region_code, prefix))
    return (await session.execute(stmt)).all()


async def by_category(session: AsyncSession, prefix: str) -> Sequence[Row[*tuple[Any, ...]]]:
    stmt = (
        select(Asset.category, func.count().label("assets"), func.sum(Asset.value).label("value"))
        .where(Asset.disposed_on.is_(None), under_region(Asset.region_code, prefix))
        .group_by(Asset.category)
        .order_by(Asset.category)
    )
    return (await session.execute(stmt)).all()
