"""Warnings on the three lines and the manual key-group marks of a household."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Enum, ForeignKey, Identity, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from monitoring_api.models import Base
from monitoring_api.warnings.enums import Grade, KeyGroup, Line


def _enum(enum: type, name: str, length: int = 20) -> Enum:
    return Enum(enum, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False, length=length)


class HouseholdWarning(Base):
    """A warning raised on one line for a household, open until its condition no longer holds.

    `subject` says what inside the household it is about ('' for the household itself, 'member:<id>' for a member,
    or a department's own key), so that one open warning exists per (household, line, rule, source, subject).
    """

    __tablename__ = "warning"
    __table_args__ = (
        Index(
            "uq_warning_open",
            "household_id",
            "line",
            "rule",
            "source",
            "subject",
            unique=True,
            postgresql_where=text("resolved_at IS NULL"),
        ),
        Index("ix_warning_region_id", "region_code", "id"),
        Index("ix_warning_household_id", "household_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    region_code: Mapped[str] = mapped_column(String(12))
    line: Mapped[Line] = mapped_column(_enum(Line, "warning_line"))
    grade: Mapped[Grade] = mapped_column(_enum(Grade, "warning_grade"))
    rule: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(40), server_default="", default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"), default=dict)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class GroupMark(Base):
    """A key-group membership recorded by staff where the data cannot show it (e.g. 就业不稳定户)."""

    __tablename__ = "household_group_mark"
    __table_args__ = (
        Index(
            "uq_household_group_mark_open",
            "household_id",
            "key_group",
            unique=True,
            postgresql_where=text("ended_at IS NULL"),
        ),
        Index("ix_household_group_mark_region_code", "region_code"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    region_code: Mapped[str] = mapped_column(String(12))
    key_group: Mapped[KeyGroup] = mapped_column(_enum(KeyGroup, "key_group", 40))
    reason: Mapped[str] = mapped_column(Text)
    marked_by: Mapped[str] = mapped_column(String(120))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_by: Mapped[str | None] = mapped_column(String(120))
    end_reason: Mapped[str | None] = mapped_column(Text)
