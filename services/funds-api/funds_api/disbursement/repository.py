"""Queries of allocations and payments; region scoping in the query (on the project's village)."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, in_scope
from dixian_shared.pagination import PageParams, apply_keyset
from funds_api.disbursement.models import Allocation, Payment


async def get_allocation(
    session: AsyncSession, principal: Principal, allocation_id: int, *, lock: bool = False
) -> Allocation | None:
    stmt = select(Allocation).where(Allocation.id == allocation_id, in_scope(Allocation.region_code, principal))
    if lock:
        # Payments against one allocation queue on its row: the second sees what the first paid.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)


async def allocated_to_project(session: AsyncSession, project_id: int) -> Decimal:
    stmt = select(func.coalesce(func.sum(Allocation.amount), Decimal("0.00"))).where(
        Allocation.project_id == project_id
    )
    return await session.scalar(stmt) or Decimal("0.00")


async def allocated_from_source(session: AsyncSession, fund_source_id: int) -> Decimal:
    stmt = select(func.coalesce(func.sum(Allocation.amount), Decimal("0.00"))).where(
        Allocation.fund_source_id == fund_source_id
    )
    return await session.scalar(stmt) or Decimal("0.00")


async def payment_by_voucher(session: AsyncSession, voucher_number: str) -> Payment | None:
    return await session.scalar(select(Payment).where(Payment.voucher_number == voucher_number))


async def list_allocations(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    project_id: int | None = None,
    fund_source_id: int | None = None,
) -> Sequence[Allocation]:
    stmt = select(Allocation).where(in_scope(Allocation.region_code, principal))
    if project_id is not None:
        stmt = stmt.where(Allocation.project_id == project_id)
    if fund_source_id is not None:
        stmt = stmt.where(Allocation.fund_source_id == fund_source_id)
    return (await session.scalars(apply_keyset(stmt, [Allocation.id], params))).all()


async def list_payments(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    project_id: int | None = None,
    allocation_id: int | None = None,
) -> Sequence[Payment]:
    stmt = select(Payment).where(in_scope(Payment.region_code, principal))
    if project_id is not None:
        stmt = stmt.where(Payment.project_id == project_id)
    if allocation_id is not None:
        stmt = stmt.where(Payment.allocation_id == allocation_id)
    return (await session.scalars(apply_keyset(stmt, [Payment.id], params))).all()


async def move_to_village(session: AsyncSession, project_id: int, region_code: str) -> int:
    """Allocations and payments carry their project's village for scoping: they follow it when it moves."""
    moved = 0
    for table in (Allocation, Payment):
        # An UPDATE's result is a CursorResult (it has rowcount); Session.execute is typed to return any Result.
        result = cast(
            CursorResult[Any],
            await session.execute(update(table).where(table.project_id == project_id).values(region_code=region_code)),
        )
        moved += result.rowcount
    return moved
