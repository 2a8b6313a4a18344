"""Subsidy grants to labourers: one per person, kind and period, unless revoked."""

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, Enum, ForeignKey, Identity, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from employment_api.models import Base, Timestamped, Versioned
from employment_api.subsidies.enums import SubsidyKind


class Subsidy(Timestamped, Versioned, Base):
    __tablename__ = "subsidy"
    __table_args__ = (
        # The rule "one grant per person, kind and period" held by the database, so two requests that both pass the
        # service's check cannot both grant.
        Index(
            "uq_subsidy_once_per_period",
            "labourer_id",
            "kind",
            "period",
            unique=True,
            postgresql_where=text("revoked_on IS NULL"),
        ),
        Index("ix_subsidy_labourer_id", "labourer_id", "id"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("(revoked_on IS NULL) = (revoke_reason IS NULL)", name="revoked_with_reason"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    labourer_id: Mapped[int] = mapped_column(ForeignKey("labourer.id"))
    kind: Mapped[SubsidyKind] = mapped_column(
        Enum(SubsidyKind, name="subsidy_kind", values_callable=lambda e: [m.value for m in e], native_enum=False)
    )
    period: Mapped[str] = mapped_column(String(7))  # "2026" (a year), "2026-07" (a month) or "一次性" (once)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    granted_on: Mapped[date] = mapped_column(Date)
    granted_by: Mapped[str] = mapped_column(String(50))  # the office that approved it
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoke_reason: Mapped[str | None] = mapped_column(String(200))
