"""What each reminder run asked of each service, and which deadline reminders have gone out."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from dixian_worker.models import Base


class SourceFetch(Base):
    """One service's answer to one run: 成功 with its item count, or 失败 with the error (asked again next slot)."""

    __tablename__ = "reminder_source_fetch"

    slot: Mapped[str] = mapped_column(String(80), primary_key=True)
    service: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    items: Mapped[int] = mapped_column(Integer, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReminderMark(Base):
    """A deadline reminded at one stage (即将到期 before it, 已逾期 once missed) by the run of `slot`.

    A later run skips it; the same slot run again does not, so it rebuilds exactly the messages it made the first
    time (which the notification key then finds already stored)."""

    __tablename__ = "reminder_mark"

    kind: Mapped[str] = mapped_column(String(60), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    nominal_deadline: Mapped[date] = mapped_column(Date, primary_key=True)
    stage: Mapped[str] = mapped_column(String(10), primary_key=True)
    slot: Mapped[str] = mapped_column(String(80))
