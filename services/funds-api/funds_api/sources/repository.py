"""Every fund-source query; region scoping is applied in the query itself."""

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, in_scope
from dixian_shared.pagination import PageParams, apply_keyset
from funds_api.disbursement.models import Allocation
from funds_api.sources.enums import FundLevel
from funds_api.sources.models import FundSource


def _scoped(principal: Principal) -> Select[FundSource]:
    return select(FundSource).where(in_scope(FundSource.region_code, principal))


async def get(session: AsyncSession, principal: Principal, source_id: int, *, lock: bool = False) -> FundSource | None:
    stmt = _scoped(principal).where(FundSource.id == source_id)
    if lock:
        # Allocations from one source are serialised on its row, so two cannot both take its last yuan.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)


async def allocated_from(session: AsyncSession, source_ids: Sequence[int]) -> dict[int, Decimal]:
    stmt = (
        select(Allocation.fund_source_id, func.sum(Allocation.amount))
        .where(Allocation.fund_source_id.in_(source_ids))
        .group_by(Allocation.fund_source_id)
    )
    return {row[0]: row[1] for row in (await session.execute(stmt)).all()}


async def list_sources(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    year: int | None,
    level: FundLevel | None,
) -> Sequence[FundSource]:
    stmt = _scoped(principal)
    if year is not None:
        stmt = stmt.where(FundSource.year == year)
    if level is not None:
        stmt = stmt.where(FundSource.level == level)
    return (await session.scalars(apply_keyset(stmt, [FundSource.id], params))).all()
