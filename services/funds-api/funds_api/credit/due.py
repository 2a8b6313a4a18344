"""The one definition of a paid, due or missed loan instalment: used by the loan detail, the due list, its counts
and GET /deadlines.

An instalment is paid when the loan's repayments up to the day in question cover it and every earlier one
(cumulative principal and cumulative interest). An unpaid instalment of an active loan is
- 已逾期 (overdue) once its due date has passed;
- 逾期风险 (at risk, flagged ahead of time) when it falls due within the window (CreditRules.due_window_days).
"""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from funds_api.credit.enums import DueState, LoanStatus
from funds_api.credit.models import Loan, LoanInstallment, LoanRepayment


def coverage(on: date) -> Select[*tuple[Any, ...]]:
    """Every instalment with what is still short of it (principal_short, interest_short ≤ 0 means paid) on `on`."""
    paid = (
        select(
            LoanRepayment.loan_id,
            func.sum(LoanRepayment.principal).label("principal"),
            func.sum(LoanRepayment.interest).label("interest"),
        )
        .where(LoanRepayment.paid_on <= on)
        .group_by(LoanRepayment.loan_id)
        .subquery()
    )
    schedule = select(
        LoanInstallment.loan_id,
        LoanInstallment.seq,
        LoanInstallment.due_on,
        LoanInstallment.principal_due,
        LoanInstallment.interest_due,
        func.sum(LoanInstallment.principal_due)
        .over(partition_by=LoanInstallment.loan_id, order_by=LoanInstallment.seq)
        .label("principal_to_date"),
        func.sum(LoanInstallment.interest_due)
        .over(partition_by=LoanInstallment.loan_id, order_by=LoanInstallment.seq)
        .label("interest_to_date"),
    ).subquery()
    return (
        select(
            schedule.c.loan_id,
            schedule.c.seq,
            schedule.c.due_on,
            schedule.c.principal_due,
            schedule.c.interest_due,
            (schedule.c.principal_to_date - func.coalesce(paid.c.principal, 0)).label("principal_short"),
            (schedule.c.interest_to_date - func.coalesce(paid.c.interest, 0)).label("interest_short"),
        )
        .select_from(schedule)
        .outerjoin(paid, paid.c.loan_id == schedule.c.loan_id)
    )


def is_paid(principal_short: Any, interest_short: Any) -> Any:
    return and_(principal_short <= 0, interest_short <= 0)


def due_installments(on: date, window_days: int, scope: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """Unpaid instalments due on or before `on` + window, of active loans inside `scope` (a clause on Loan)."""
    lines = coverage(on).subquery()
    state = case((lines.c.due_on < on, literal(DueState.overdue.value)), else_=literal(DueState.at_risk.value))
    return (
        select(
            lines.c.loan_id,
            lines.c.seq,
            Loan.region_code,
            Loan.borrower_name,
            Loan.bank,
            lines.c.due_on,
            func.greatest(lines.c.principal_short, 0).label("principal_short"),
            func.greatest(lines.c.interest_short, 0).label("interest_short"),
            state.label("state"),
        )
        .select_from(lines)
        .join(Loan, Loan.id == lines.c.loan_id)
        .where(
            Loan.status == LoanStatus.active,
            lines.c.due_on <= on + timedelta(days=window_days),
            ~is_paid(lines.c.principal_short, lines.c.interest_short),
            and_(scope),
        )
    )
