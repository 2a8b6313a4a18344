"""Assistance measures of a household and the look-backs (回头看) that check they work."""

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from monitoring_api.measures.enums import MeasureCategory, MeasureFamily, MeasureStatus
from monitoring_api.models import Base, Timestamped, Versioned


def _enum(enum: type, name: str) -> Enum:
    return Enum(enum, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False, length=20)


class Measure(Timestamped, Versioned, Base):
    __tablename__ = "measure"
    __table_args__ = (
        Index("ix_measure_region_code_id", "region_code", "id"),
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="period"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    # Copied from the household so that scoping is one indexed predicate, as for members.
    region_code: Mapped[str] = mapped_column(String(12))
    category: Mapped[MeasureCategory] = mapped_column(_enum(MeasureCategory, "measure_category"))
    sub_type: Mapped[str | None] = mapped_column(String(30))
    owner: Mapped[str] = mapped_column(String(50))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[MeasureStatus] = mapped_column(_enum(MeasureStatus, "measure_status"))
    results: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    @property
    def family(self) -> MeasureFamily:
        return self.category.family


class Lookback(Timestamped, Versioned, Base):
    """A scheduled check (回头看) that a household's measures work; recorded once, when it is done."""

    __tablename__ = "lookback"
    __table_args__ = (
        Index("ix_lookback_region_code_id", "region_code", "id"),
        Index("ix_lookback_pending_due_on", "due_on", postgresql_where=text("done_on IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    # Set when the look-back was scheduled by a risk elimination (帮扶成效回头看).
    elimination_id: Mapped[int | None] = mapped_column(ForeignKey("elimination.id"))
    done_on: Mapped[date | None] = mapped_column(Date)
    findings: Mapped[str | None] = mapped_column(Text)
    measures_effective: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by: Mapped[str | None] = mapped_column(String(120))
