"""Allocations of a fund source to a project, and the payments (拨付) made against them."""

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Identity, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from funds_api.models import Base, Timestamped, Versioned


class Allocation(Timestamped, Versioned, Base):
    __tablename__ = "allocation"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        # paid is the running total of the allocation's payments: the database itself refuses an overdraw.
        CheckConstraint("paid >= 0 AND paid <= amount", name="paid_within_amount"),
        Index("ix_allocation_region_code_id", "region_code", "id"),
        Index("ix_allocation_project_id", "project_id"),
        Index("ix_allocation_fund_source_id", "fund_source_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    fund_source_id: Mapped[int] = mapped_column(ForeignKey("fund_source.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    region_code: Mapped[str] = mapped_column(String(12))  # the project's village
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    paid: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0.00"))
    allocated_on: Mapped[date] = mapped_column(Date)
    document_number: Mapped[str | None] = mapped_column(String(100))  # the plan or notice that allocates
    note: Mapped[str | None] = mapped_column(Text)
    allocated_by: Mapped[str] = mapped_column(String(120))


class Payment(Timestamped, Base):
    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("uq_payment_voucher_number", "voucher_number", unique=True),
        Index("ix_payment_region_code_id", "region_code", "id"),
        Index("ix_payment_allocation_id_paid_on", "allocation_id", "paid_on"),
        # The entries of one month read by every rollup: an index-only range scan.
        Index("ix_payment_paid_on", "paid_on", postgresql_include=["project_id", "fund_source_id", "amount"]),
        Index("ix_payment_project_id_paid_on", "project_id", "paid_on"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocation.id"))
    # Copied from the allocation so that every rollup groups payments without a join through allocations.
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    fund_source_id: Mapped[int] = mapped_column(ForeignKey("fund_source.id"))
    region_code: Mapped[str] = mapped_column(String(12))
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    voucher_number: Mapped[str] = mapped_column(String(60))  # 凭证号
    note: Mapped[str | None] = mapped_column(Text)
    paid_by: Mapped[str] = mapped_column(String(120))


class _Span:
    """The columns of a running-total span (ledger.py): its days, its totals, and its project's year and village,
    copied so that a rollup reads no project row (ledger.follow moves them with the project)."""

    valid_from: Mapped[date] = mapped_column(Date, primary_key=True)
    valid_until: Mapped[date] = mapped_column(Date)
    allocated: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0.00"))
    paid: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0.00"))
    year: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(String(12))


class DisbursementState(_Span, Base):
    """Running totals: what was allocated to and paid on a project from a fund source on or before each day of
    [valid_from, valid_until). A series is kept for the project's year and the next; it breaks at the first of every
    month and on every day with an entry, so a figure as of any day of those years reads exactly one row per project
    and fund source (the one whose span holds the day, found from the day's month) and adds nothing. Maintained in
    the same transaction as each allocation and payment (ledger.py); DisbursementProjectState is the same per project.
    """

    __tablename__ = "disbursement_state"
    __audited__ = False  # a derived figure: the allocations and payments it adds up are audited themselves
    __table_args__ = (
        CheckConstraint("valid_from < valid_until", name="span_not_empty"),
        # The rows of every project of a year as of a day: an index-only range scan from the day's month to the day.
        Index(
            "ix_disbursement_state_year_valid_from",
            "year",
            "valid_from",
            postgresql_include=["valid_until", "region_code", "project_id", "fund_source_id", "allocated", "paid"],
        ),
    )

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), primary_key=True)
    fund_source_id: Mapped[int] = mapped_column(ForeignKey("fund_source.id"), primary_key=True)


class DisbursementProjectState(_Span, Base):
    """DisbursementState summed over the project's fund sources: one row per project as of any day, for the levels
    that judge a project as a whole (district, town, department, the project lists). Same spans, same maintenance;
    the project's year, village, town and department copied as on DisbursementState."""

    __tablename__ = "disbursement_project_state"
    __audited__ = False  # a derived figure, as DisbursementState
    __table_args__ = (
        CheckConstraint("valid_from < valid_until", name="span_not_empty"),
        Index(
            "ix_disbursement_project_state_year_valid_from",
            "year",
            "valid_from",
            postgresql_include=[
                "valid_until",
                "region_code",
                "town_code",
                "owner_department",
                "project_id",
                "allocated",
                "paid",
            ],
        ),
    )

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), primary_key=True)
    town_code: Mapped[str] = mapped_column(String(12))
    owner_department: Mapped[str] = mapped_column(String(50))
