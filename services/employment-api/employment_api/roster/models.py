"""The roster's table: one row per registry member who is, or once was, a labourer of the roster."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Identity, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from employment_api.models import Base, Timestamped, Versioned


class Labourer(Timestamped, Versioned, Base):
    """A copy of the registry's facts about one member, kept by the sync (never edited through this API).

    A person who stops qualifying (loses capacity, dies, leaves, household no longer lifted or monitored) keeps the
    row and the ledger history; `left_on` says from when the targets stop counting them.
    """

    __tablename__ = "labourer"
    __table_args__ = (
        Index("ix_labourer_region_id", "region_code", "id"),
        Index("ix_labourer_household", "household_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    member_id: Mapped[int] = mapped_column(BigInteger, unique=True)  # monitoring-api's member id
    household_id: Mapped[int] = mapped_column(BigInteger)
    region_code: Mapped[str] = mapped_column(String(12))
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(50))
    sex: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[date] = mapped_column(Date)
    labour_skill: Mapped[str] = mapped_column(String(20))
    household_category: Mapped[str] = mapped_column(String(20))
    member_status: Mapped[str] = mapped_column(String(10))
    status_date: Mapped[date | None] = mapped_column(Date)
    household_status: Mapped[str] = mapped_column(String(10))
    qualifies: Mapped[bool] = mapped_column(Boolean)  # category and capacity count, alive, still in the registry
    left_on: Mapped[date | None] = mapped_column(Date)
    # When monitoring-api read the snapshot we hold: an older snapshot (a replayed or late event) is ignored.
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
