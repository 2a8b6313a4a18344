"""Business rules of microcredit. Takes the session first; flushes, never commits."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from funds_api.credit import eligibility, repository
from funds_api.credit.enums import LoanStatus
from funds_api.credit.errors import (
    AmountOverLimit,
    ExtensionLimit,
    LoanClosed,
    RenewalNotAllowed,
    RepaymentOverOutstanding,
)
from funds_api.credit.models import Loan, LoanExtension, LoanInstallment, LoanRepayment
from funds_api.credit.schedule import add_months, draw, months_between
from funds_api.credit.schemas import ExtensionCreate, LoanCreate, LoanUpdate, RepaymentCreate
from funds_api.registry import Registry
from funds_api.rules import CreditRules


def _not_after_today(field: str, value: date, today: date) -> None:
    if value > today:
        raise InvalidField(f"body.{field}", f"{value} is after today ({today})", f"{value} 晚于今天（{today}）")


async def require_loan(session: AsyncSession, principal: Principal, loan_id: int, *, for_update: bool = False) -> Loan:
    loan = await repository.get_loan(session, principal, loan_id, for_update=for_update)
    if loan is None:
        raise NotFound(entity="loan", key=loan_id)
    return loan


def _add_schedule(session: AsyncSession, loan: Loan, principal: Decimal, start: date, first_seq: int) -> None:
    for line in draw(
        principal, loan.annual_rate, start, loan.maturity_date, loan.repayment_method, loan.period_months, first_seq
    ):
        session.add(
            LoanInstallment(
                loan_id=loan.id,
                seq=line.seq,
                due_on=line.due_on,
                principal_due=line.principal_due,
                interest_due=line.interest_due,
            )
        )


async def _renewed_loan(
    session: AsyncSession, principal: Principal, data: LoanCreate, rules: CreditRules
) -> Loan | None:
    if data.renews_loan_id is None:
        return None
    old = await repository.get_loan(session, principal, data.renews_loan_id, for_update=True)
    if old is None:
        raise NotFound(entity="loan", key=data.renews_loan_id)
    refusals = [
        (old.borrower_id_number != data.borrower_id_number, "it belongs to another borrower", "借款人不同"),
        (old.status == LoanStatus.renewed, "it was renewed already", "该笔贷款已续贷"),
        (
            old.renewal_count >= rules.max_renewals,
            f"at most {rules.max_renewals} renewal(s)",
            f"续贷最多 {rules.max_renewals} 次",
        ),
        (data.loan_date < old.loan_date, "the renewal is dated before the loan", "续贷日期早于原贷款"),
    ]
    for refused, reason, reason_zh in refusals:
        if refused:
            raise RenewalNotAllowed(loan_id=old.id, reason=reason, reason_zh=reason_zh)
    return old


async def create_loan(
    session: AsyncSession, principal: Principal, registry: Registry, data: LoanCreate, rules: CreditRules, today: date
) -> Loan:
    _not_after_today("loan_date", data.loan_date, today)
    eligibility.check_terms(data, rules)
    person = await registry.person(data.borrower_id_number)
    # Outside the caller's region a person is as unknown as one the registry never had.
    if person is None or not principal.can_access(person.region_code):
        raise NotFound(entity="person", key=data.borrower_id_number)
    eligibility.check_borrower(person, rules)
    await repository.lock_household(session, person.household_id)
    old = await _renewed_loan(session, principal, data, rules)
    owed = await repository.household_outstanding(session, person.household_id, except_loan=old.id if old else None)
    if owed + data.amount > rules.max_amount:
        raise AmountOverLimit(total=owed + data.amount, limit=rules.max_amount)
    fields = data.model_dump(exclude={"borrower_id_number", "renews_loan_id"})
    loan = Loan(
        **fields,
        region_code=person.region_code,
        household_id=person.household_id,
        member_id=person.member_id,
        borrower_id_number=person.id_number,
        borrower_name=person.name,
        household_category=person.household_category,
        maturity_date=add_months(data.loan_date, data.term_months),
        renews_loan_id=old.id if old else None,
        renewal_count=old.renewal_count + 1 if old else 0,
        extension_count=0,
        status=LoanStatus.active,
    )
    session.add(loan)
    if old is not None and old.status == LoanStatus.active:
        old.status = LoanStatus.renewed
        old.settled_on = data.loan_date
    await session.flush()
    _add_schedule(session, loan, loan.amount, loan.loan_date, 1)
    await session.flush()
    return loan


async def update_loan(
    session: AsyncSession, principal: Principal, loan_id: int, if_match: str | None, data: LoanUpdate
) -> Loan:
    loan = await require_loan(session, principal, loan_id)
    check_version(if_match, loan.version)
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            raise InvalidField(f"body.{field}", "cannot be cleared", "不能清空")
        setattr(loan, field, value)
    await session.flush()
    return loan


async def record_repayment(
    session: AsyncSession, principal: Principal, loan_id: int, data: RepaymentCreate, today: date
) -> LoanRepayment:
    loan = await require_loan(session, principal, loan_id, for_update=True)
    if loan.status != LoanStatus.active:
        raise LoanClosed(loan_id=loan.id, status=loan.status.value)
    _not_after_today("paid_on", data.paid_on, today)
    if data.paid_on < loan.loan_date:
        raise InvalidField("body.paid_on", f"before the loan date {loan.loan_date}", f"早于放贷日期 {loan.loan_date}")
    if data.principal == 0 and data.interest == 0:
        raise InvalidField(
            "body.principal", "a repayment pays some principal or interest", "还款须归还本金或利息，不能都为 0"
        )
    outstanding = await repository.loan_outstanding(session, loan)
    if data.principal > outstanding:
        raise RepaymentOverOutstanding(loan_id=loan.id, outstanding=outstanding, principal=data.principal)
    repayment = LoanRepayment(loan_id=loan.id, region_code=loan.region_code, **data.model_dump())
    session.add(repayment)
    if data.principal == outstanding:
        loan.status = LoanStatus.settled
        loan.settled_on = data.paid_on
    await session.flush()
    return repayment


async def extend_loan(
    session: AsyncSession,
    principal: Principal,
    loan_id: int,
    if_match: str | None,
    data: ExtensionCreate,
    rules: CreditRules,
    today: date,
) -> LoanExtension:
    """展期: the maturity moves; the schedule after the approval day is redrawn for the principal it still carried."""
    loan = await require_loan(session, principal, loan_id, for_update=True)
    check_version(if_match, loan.version)
    if loan.status != LoanStatus.active:
        raise LoanClosed(loan_id=loan.id, status=loan.status.value)
    _not_after_today("approved_on", data.approved_on, today)
    if not loan.loan_date <= data.approved_on <= loan.maturity_date:
        raise InvalidField(
            "body.approved_on",
            f"an extension is approved between {loan.loan_date} and maturity",
            f"展期应在放贷日期 {loan.loan_date} 至到期日之间批准",
        )
    if data.new_maturity <= loan.maturity_date:
        raise InvalidField(
            "body.new_maturity",
            f"must be after the current maturity {loan.maturity_date}",
            f"须晚于当前到期日 {loan.maturity_date}",
        )
    if loan.extension_count >= rules.max_extensions:
        raise ExtensionLimit(
            loan_id=loan.id,
            reason=f"at most {rules.max_extensions} extension(s)",
            reason_zh=f"展期最多 {rules.max_extensions} 次",
        )
    if months_between(loan.maturity_date, data.new_maturity) > rules.max_extension_months:
        raise ExtensionLimit(
            loan_id=loan.id,
            reason=f"an extension adds at most {rules.max_extension_months} months",
            reason_zh=f"展期不超过 {rules.max_extension_months} 个月",
        )
    extension = LoanExtension(
        loan_id=loan.id, region_code=loan.region_code, old_maturity=loan.maturity_date, **data.model_dump()
    )
    session.add(extension)
    last_seq = await repository.drop_installments_after(session, loan.id, data.approved_on)
    anchor = await repository.last_due_on(session, loan.id) or loan.loan_date
    remaining = loan.amount - await repository.scheduled_principal(session, loan.id)
    await audit.record(
        session, "loan_installment", str(loan.id), "delete", {"after_seq": [last_seq, None], "reason": ["展期", None]}
    )
    loan.maturity_date = data.new_maturity
    loan.extension_count += 1
    await session.flush()
    _add_schedule(session, loan, remaining, anchor, last_seq + 1)
    await session.flush()
    return extension


async def loan_detail(
    session: AsyncSession, principal: Principal, loan_id: int, today: date
) -> tuple[Loan, Decimal, Sequence[Row[*tuple[Any, ...]]], Sequence[LoanRepayment], Sequence[LoanExtension]]:
    loan = await require_loan(session, principal, loan_id)
    outstanding = await repository.loan_outstanding(session, loan)
    schedule = await repository.schedule_with_coverage(session, loan.id, today)
    return (
        loan,
        outstanding,
        schedule,
        await repository.repayments(session, loan.id),
        await repository.extensions(session, loan.id),
    )
