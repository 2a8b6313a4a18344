"""Loans, their repayment schedules, repayments and extensions."""

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from funds_api.credit.enums import LoanPurpose, LoanStatus, RepaymentMethod
from funds_api.models import Base, Timestamped, Versioned, str_enum

Money = Numeric(14, 2)


class Loan(Timestamped, Versioned, Base):
    """A microcredit loan; borrower facts are as the registry gave them on the day it was recorded."""

    __tablename__ = "loan"
    __table_args__ = (
        Index("ix_loan_region_code_id", "region_code", "id"),
        Index("ix_loan_household_id", "household_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("maturity_date > loan_date", name="term"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    household_id: Mapped[int] = mapped_column(BigInteger, comment="monitoring-api household id")
    member_id: Mapped[int] = mapped_column(BigInteger, comment="monitoring-api member id")
    borrower_id_number: Mapped[str] = mapped_column(String(18))
    borrower_name: Mapped[str] = mapped_column(String(50))
    household_category: Mapped[str] = mapped_column(String(20))
    bank: Mapped[str] = mapped_column(String(100))
    contract_number: Mapped[str] = mapped_column(String(60), unique=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    annual_rate: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    term_months: Mapped[int] = mapped_column(Integer)
    loan_date: Mapped[date] = mapped_column(Date)
    maturity_date: Mapped[date] = mapped_column(Date)
    purpose: Mapped[LoanPurpose] = mapped_column(str_enum(LoanPurpose, "loan_purpose"))
    purpose_note: Mapped[str | None] = mapped_column(Text)
    repayment_method: Mapped[RepaymentMethod] = mapped_column(str_enum(RepaymentMethod, "repayment_method"))
    period_months: Mapped[int] = mapped_column(Integer)
    status: Mapped[LoanStatus] = mapped_column(str_enum(LoanStatus, "loan_status"), default=LoanStatus.active)
    settled_on: Mapped[date | None] = mapped_column(Date)
    renews_loan_id: Mapped[int | None] = mapped_column(ForeignKey("loan.id"), unique=True)
    renewal_count: Mapped[int] = mapped_column(Integer, default=0)
    extension_count: Mapped[int] = mapped_column(Integer, default=0)


class LoanInstallment(Base):
    """One line of the repayment schedule: what is due on a day (cumulative coverage decides if it is paid)."""

    __tablename__ = "loan_installment"
    __table_args__ = (
        UniqueConstraint("loan_id", "seq"),
        Index("ix_loan_installment_due_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    principal_due: Mapped[Decimal] = mapped_column(Money)
    interest_due: Mapped[Decimal] = mapped_column(Money)


class LoanRepayment(Timestamped, Base):
    __tablename__ = "loan_repayment"
    __table_args__ = (
        Index("ix_loan_repayment_loan_id_paid_on", "loan_id", "paid_on"),
        Index("ix_loan_repayment_region_code_id", "region_code", "id"),
        CheckConstraint("principal >= 0 AND interest >= 0 AND principal + interest > 0", name="amounts"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id"))
    region_code: Mapped[str] = mapped_column(String(12))
    paid_on: Mapped[date] = mapped_column(Date)
    principal: Mapped[Decimal] = mapped_column(Money)
    interest: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(Text)


class LoanExtension(Timestamped, Base):
    """展期: maturity moved, with the reason; the schedule after `approved_on` is redrawn to the new maturity."""

    __tablename__ = "loan_extension"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    approved_on: Mapped[date] = mapped_column(Date)
    old_maturity: Mapped[date] = mapped_column(Date)
    new_maturity: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
