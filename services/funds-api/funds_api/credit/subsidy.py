"""The one definition of the interest subsidy (贴息).

The district refunds interest the borrower actually paid, at the configured annual rate (CreditRules.subsidy_rate)
and never above the loan's own rate: for each repayment, subsidy = interest × min(subsidy rate, loan rate) / loan
rate, rounded half-up to the fen (PostgreSQL's round() on numeric rounds halves away from zero, which for these
non-negative amounts is half-up). A loan's or a region's subsidy is the sum of the rounded per-repayment amounts.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, Select, and_, case, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from funds_api.credit.models import Loan, LoanRepayment

ROUNDING = "每笔还款的贴息按四舍五入保留到分，合计为各笔之和"


def repayment_subsidy(subsidy_rate: Decimal) -> ColumnElement[Decimal]:
    rate = cast(literal(subsidy_rate), Numeric(6, 4))
    share = case((Loan.annual_rate > 0, func.least(rate, Loan.annual_rate) / Loan.annual_rate), else_=0)
    return func.round(LoanRepayment.interest * share, 2)


def subsidy_by_loan(
    subsidy_rate: Decimal, date_from: date, date_to: date, scope: ColumnElement[bool]
) -> Select[*tuple[Any, ...]]:
    """Per loan inside `scope`: interest paid and the subsidy on it, for repayments from date_from to date_to."""
    return (
        select(
            Loan.id.label("loan_id"),
            Loan.region_code,
            Loan.borrower_name,
            Loan.annual_rate,
            func.sum(LoanRepayment.interest).label("interest_paid"),
            func.sum(repayment_subsidy(subsidy_rate)).label("subsidy"),
        )
        .join(LoanRepayment, LoanRepayment.loan_id == Loan.id)
        .where(LoanRepayment.paid_on >= date_from, LoanRepayment.paid_on <= date_to, and_(scope))
        .group_by(Loan.id)
    )
