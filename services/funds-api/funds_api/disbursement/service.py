"""Business rules of allocations and payments.

An allocation takes money from a fund source for an approved project: never more than the source has left, nor more
than the project's budget has left. A payment is made to an approved project from one of its allocations: never more
than the allocation has left. Rows are locked in one order (project, then fund source or allocation) so that racing
requests queue instead of both taking the last yuan; allocation.paid carries a CHECK as a last line.
"""

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from funds_api.disbursement import ledger, repository
from funds_api.disbursement.errors import (
    AllocationOfAnotherProject,
    AllocationOverBudget,
    AllocationOverSource,
    AllocationToUnapproved,
    FundSourceYear,
    MoneyDate,
    PaymentOverAllocation,
    PaymentToUnapproved,
    VoucherTaken,
)
from funds_api.disbursement.models import Allocation, Payment
from funds_api.disbursement.schemas import AllocationCreate, PaymentCreate
from funds_api.projects import service as projects
from funds_api.projects.enums import ProjectStatus
from funds_api.sources import service as sources


def _check_date(what: str, value: date, earliest: date, today: date) -> None:
    if not earliest <= value <= today:
        raise MoneyDate(what=what, value=value, earliest=earliest, today=today, field=f"body.{what}")


async def allocate(session: AsyncSession, principal: Principal, data: AllocationCreate, *, today: date) -> Allocation:
    project = await projects.require(session, principal, data.project_id, lock=True)
    if project.status != ProjectStatus.approved:
        raise AllocationToUnapproved(project_id=project.id, status=project.status, field="body.project_id")
    source = await sources.require(session, principal, data.fund_source_id, lock=True)
    if source.year != project.year:
        raise FundSourceYear(
            fund_source_id=source.id,
            source_year=source.year,
            project_id=project.id,
            project_year=project.year,
            field="body.fund_source_id",
        )
    assert project.decided_on is not None  # an approved project was decided
    _check_date("allocated_on", data.allocated_on, project.decided_on, today)
    from_source = await repository.allocated_from_source(session, source.id)
    if from_source + data.amount > source.amount:
        raise AllocationOverSource(
            fund_source_id=source.id,
            amount=source.amount,
            allocated=from_source,
            requested=data.amount,
            left=source.amount - from_source,
            field="body.amount",
        )
    to_project = await repository.allocated_to_project(session, project.id)
    if to_project + data.amount > project.budget:
        raise AllocationOverBudget(
            project_id=project.id,
            budget=project.budget,
            allocated=to_project,
            requested=data.amount,
            left=project.budget - to_project,
            field="body.amount",
        )
    allocation = Allocation(
        **data.model_dump(),
        region_code=project.region_code,
        allocated_by=principal.subject,
    )
    session.add(allocation)
    await session.flush()
    await ledger.record(
        session,
        project_id=project.id,
        fund_source_id=source.id,
        project_year=project.year,
        day=data.allocated_on,
        allocated=data.amount,
    )
    return allocation


async def pay(
    session: AsyncSession, principal: Principal, project_id: int, data: PaymentCreate, *, today: date
) -> Payment:
    # The project row first, as allocate() and an approved change do: a change moving the project's place onto its
    # running totals (ledger.follow) then never misses a span a payment is adding.
    project = await projects.require(session, principal, project_id, lock=True)
    if project.status != ProjectStatus.approved:
        raise PaymentToUnapproved(project_id=project.id, status=project.status)
    allocation = await repository.get_allocation(session, principal, data.allocation_id, lock=True)
    if allocation is None:
        raise NotFound(entity="allocation", key=data.allocation_id)
    if allocation.project_id != project.id:
        raise AllocationOfAnotherProject(
            allocation_id=allocation.id, owner=allocation.project_id, project_id=project.id, field="body.allocation_id"
        )
    _check_date("paid_on", data.paid_on, allocation.allocated_on, today)
    if allocation.paid + data.amount > allocation.amount:
        raise PaymentOverAllocation(
            allocation_id=allocation.id,
            amount=allocation.amount,
            paid=allocation.paid,
            requested=data.amount,
            left=allocation.amount - allocation.paid,
            field="body.amount",
        )
    taken = await repository.payment_by_voucher(session, data.voucher_number)
    if taken is not None:
        raise VoucherTaken(voucher_number=data.voucher_number, payment_id=taken.id)
    allocation.paid = allocation.paid + data.amount
    payment = Payment(
        **data.model_dump(),
        project_id=project.id,
        fund_source_id=allocation.fund_source_id,
        region_code=allocation.region_code,
        paid_by=principal.subject,
    )
    session.add(payment)
    await session.flush()
    await ledger.record(
        session,
        project_id=project.id,
        fund_source_id=allocation.fund_source_id,
        project_year=project.year,
        day=data.paid_on,
        paid=data.amount,
    )
    return payment


async def require_allocation(session: AsyncSession, principal: Principal, allocation_id: int) -> Allocation:
    allocation = await repository.get_allocation(session, principal, allocation_id)
    if allocation is None:
        raise NotFound(entity="allocation", key=allocation_id)
    return allocation


async def list_allocations(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: int | None
) -> Sequence[Allocation]:
    return await repository.list_allocations(session, principal, params, **filters)


async def list_payments(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: int | None
) -> Sequence[Payment]:
    return await repository.list_payments(session, principal, params, **filters)
