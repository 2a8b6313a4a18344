"""The ledger's tables: entries (one per labourer and month) and each village's month (submitted, confirmed)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Identity,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from employment_api.models import Base, Timestamped, Versioned


class LedgerEntry(Timestamped, Versioned, Base):
    __tablename__ = "ledger_entry"
    __table_args__ = (
        UniqueConstraint("labourer_id", "month"),
        # The targets and the village lists read one month at a time, by village.
        Index("ix_ledger_entry_month_region", "month", "region_code", "labourer_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    # No foreign key on purpose: labourers are never deleted, every write joins the roster, and a per-row FK trigger
    # cost 1.2 s of a 100,000-row upload's 3.5 s merge (measured, bench/employment).
    labourer_id: Mapped[int] = mapped_column(BigInteger)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    region_code: Mapped[str] = mapped_column(String(12))  # the labourer's village when the entry was made
    household_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))
    place: Mapped[str | None] = mapped_column(String(10))
    employer: Mapped[str | None] = mapped_column(String(100))
    months_worked: Mapped[int | None] = mapped_column(SmallInteger)
    monthly_income: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    job_channel: Mapped[str | None] = mapped_column(String(10))
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # changed after the month was locked
    late_reason: Mapped[str | None] = mapped_column(Text)


class LedgerMonth(Timestamped, Versioned, Base):
    """A village's month: submitted by the village (by the 15th), confirmed by the town (by the 25th)."""

    __tablename__ = "ledger_month"
    __table_args__ = (UniqueConstraint("region_code", "month"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    month: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str | None] = mapped_column(String(120))
    submitted_late: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[str | None] = mapped_column(String(120))
    confirmed_late: Mapped[bool] = mapped_column(Boolean, default=False)
