"""Cadre–household pairings and home-visit records."""

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Identity, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from monitoring_api.models import Base, Timestamped, Versioned


class Pairing(Timestamped, Versioned, Base):
    """A cadre paired with a household from `since` until `until` (null while the pairing lasts)."""

    __tablename__ = "pairing"
    __table_args__ = (
        Index("ix_pairing_region_code_id", "region_code", "id"),
        # A household has one active pairing; ended ones stay as history.
        Index("uq_pairing_active_household_id", "household_id", unique=True, postgresql_where=text("until IS NULL")),
        Index("ix_pairing_active_cadre_user_id", "cadre_user_id", postgresql_where=text("until IS NULL")),
        CheckConstraint("until IS NULL OR until >= since", name="period"),
        CheckConstraint(
            "cadre_user_id IS NOT NULL OR (cadre_name IS NOT NULL AND cadre_phone IS NOT NULL)", name="cadre_known"
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    # The cadre's user id is the subject of their token; cadres without an account are known by name and phone.
    cadre_user_id: Mapped[str | None] = mapped_column(String(80))
    cadre_name: Mapped[str | None] = mapped_column(String(50))
    cadre_phone: Mapped[str | None] = mapped_column(String(20))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)


class Visit(Timestamped, Versioned, Base):
    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_region_code_id", "region_code", "id"),
        # Serves "last visit per household", the heart of the overdue list.
        Index("ix_visit_household_id_visited_on", "household_id", "visited_on"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    region_code: Mapped[str] = mapped_column(String(12))
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairing.id"))
    cadre_user_id: Mapped[str | None] = mapped_column(String(80))
    cadre_name: Mapped[str] = mapped_column(String(50))
    visited_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text)
    problems_raised: Mapped[str | None] = mapped_column(Text)
