"""Every microcredit query; region scoping is applied in the query itself."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, and_, delete, func, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from funds_api.credit import due, subsidy
from funds_api.credit.enums import LoanStatus
from funds_api.credit.models import Loan, LoanExtension, LoanInstallment, LoanRepayment


async def get_loan(
    session: AsyncSession, principal: Principal, loan_id: int, *, for_update: bool = False
) -> Loan | None:
    stmt = select(Loan).where(Loan.id == loan_id, in_scope(Loan.region_code, principal))
    if for_update:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def lock_household(session: AsyncSession, household_id: int) -> None:
    """Serialise loans to one household, so two racing loans cannot both fit under the limit."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('funds.loan.household'), :id)"), {"id": household_id}
    )


async def household_outstanding(session: AsyncSession, household_id: int, *, except_loan: int | None = None) -> Decimal:
    """Principal the household still owes on its active loans (all villages: the limit is per household)."""
    repaid = (
        select(func.coalesce(func.sum(LoanRepayment.principal), 0))
        .where(LoanRepayment.loan_id == Loan.id)
        .scalar_subquery()
    )
    stmt = select(func.coalesce(func.sum(Loan.amount - repaid), 0)).where(
        Loan.household_id == household_id, Loan.status == LoanStatus.active
    )
    if except_loan is not None:
        stmt = stmt.where(Loan.id != except_loan)
    return Decimal(await session.scalar(stmt) or 0)


async def loan_outstanding(session: AsyncSession, loan: Loan) -> Decimal:
    repaid = await session.scalar(
        select(func.coalesce(func.sum(LoanRepayment.principal), 0)).where(LoanRepayment.loan_id == loan.id)
    )
    return loan.amount - Decimal(repaid or 0)


async def list_loans(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    region_code: str | None = None,
    status: LoanStatus | None = None,
    household_id: int | None = None,
) -> Sequence[Loan]:
    stmt = select(Loan).where(in_scope(Loan.region_code, principal))
    if region_code is not None:
        stmt = stmt.where(under_region(Loan.region_code, regioncode.prefix(region_code)))
    if status is not None:
        stmt = stmt.where(Loan.status == status)
    if household_id is not None:
        stmt = stmt.where(Loan.household_id == household_id)
    return (await session.scalars(apply_keyset(stmt, [Loan.id], params))).all()


async def installments(session: AsyncSession, loan_id: int) -> Sequence[LoanInstallment]:
    stmt = select(LoanInstallment).where(LoanInstallment.loan_id == loan_id).order_by(LoanInstallment.seq)
    return (await session.scalars(stmt)).all()


async def repayments(session: AsyncSession, loan_id: int) -> Sequence[LoanRepayment]:
    stmt = (
        select(LoanRepayment).where(LoanRepayment.loan_id == loan_id).order_by(LoanRepayment.paid_on, LoanRepayment.id)
    )
    return (await session.scalars(stmt)).all()


async def extensions(session: AsyncSession, loan_id: int) -> Sequence[LoanExtension]:
    stmt = select(LoanExtension).where(LoanExtension.loan_id == loan_id).order_by(LoanExtension.id)
    return (await session.scalars(stmt)).all()


async def drop_installments_after(session: AsyncSession, loan_id: int, day: date) -> int:
    """Removes the schedule after `day` (an extension redraws it); returns the last seq kept."""
    await session.execute(
        delete(LoanInstallment).where(LoanInstallment.loan_id == loan_id, LoanInstallment.due_on > day)
    )
    kept = await session.scalar(select(func.max(LoanInstallment.seq)).where(LoanInstallment.loan_id == loan_id))
    return int(kept or 0)


async def scheduled_principal(session: AsyncSession, loan_id: int) -> Decimal:
    stmt = select(func.coalesce(func.sum(LoanInstallment.principal_due), 0)).where(LoanInstallment.loan_id == loan_id)
    return Decimal(await session.scalar(stmt) or 0)


async def last_due_on(session: AsyncSession, loan_id: int) -> date | None:
    return await session.scalar(select(func.max(LoanInstallment.due_on)).where(LoanInstallment.loan_id == loan_id))


async def schedule_with_coverage(session: AsyncSession, loan_id: int, on: date) -> Sequence[Row[*tuple[Any, ...]]]:
    lines = due.coverage(on).subquery()
    stmt = (
        select(
            lines.c.seq,
            lines.c.due_on,
            lines.c.principal_due,
            lines.c.interest_due,
            due.is_paid(lines.c.principal_short, lines.c.interest_short).label("paid"),
        )
        .where(lines.c.loan_id == loan_id)
        .order_by(lines.c.seq)
    )
    return (await session.execute(stmt)).all()


def _scope(principal: Principal | None, region_code: str | None) -> ColumnElement[bool]:
    clauses = []
    if principal is not None:
        clauses.append(in_scope(Loan.region_code, principal))
    if region_code is not None:
        clauses.append(under_region(Loan.region_code, regioncode.prefix(region_code)))
    return and_(true(), *clauses)


async def due_page(
    session: AsyncSession, principal: Principal, params: PageParams, on: date, window_days: int, region_code: str | None
) -> Sequence[Row[*tuple[Any, ...]]]:
    lines = due.due_installments(on, window_days, _scope(principal, region_code)).subquery()
    stmt = select(lines)
    return (await session.execute(apply_keyset(stmt, [lines.c.due_on, lines.c.loan_id, lines.c.seq], params))).all()


async def due_counts(
    session: AsyncSession, principal: Principal, on: date, window_days: int, region_code: str | None
) -> dict[str, int]:
    lines = due.due_installments(on, window_days, _scope(principal, region_code)).subquery()
    stmt = select(lines.c.state, func.count()).group_by(lines.c.state)
    return {state: int(n) for state, n in (await session.execute(stmt)).all()}


async def due_by_place(
    session: AsyncSession, on: date, window_days: int, region_code: str | None
) -> Sequence[Row[*tuple[Any, ...]]]:
    """For GET /deadlines: unpaid instalments counted per village, due date and state (whole district or a region)."""
    lines = due.due_installments(on, window_days, _scope(None, region_code)).subquery()
    stmt = (
        select(lines.c.region_code, lines.c.due_on, func.count().label("count"))
        .group_by(lines.c.region_code, lines.c.due_on)
        .order_by(lines.c.region_code, lines.c.due_on)
    )
    return (await session.execute(stmt)).all()


async def subsidy_page(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    rate: Decimal,
    date_from: date,
    date_to: date,
    region_code: str | None,
) -> tuple[Sequence[Row[*tuple[Any, ...]]], Decimal, Decimal]:
    by_loan = subsidy.subsidy_by_loan(rate, date_from, date_to, _scope(principal, region_code))
    rows = (await session.execute(apply_keyset(by_loan, [Loan.id], params))).all()
    whole = by_loan.subquery()
    totals = (
        await session.execute(
            select(func.coalesce(func.sum(whole.c.interest_paid), 0), func.coalesce(func.sum(whole.c.subsidy), 0))
        )
    ).one()
    return rows, Decimal(totals[0]), Decimal(totals[1])
