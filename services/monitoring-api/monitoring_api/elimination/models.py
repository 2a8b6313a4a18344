"""A risk elimination of a monitoring subject and the record of each of its steps."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Enum, ForeignKey, Identity, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring_api.elimination.enums import OPEN_STATUSES, EliminationKind, EliminationStatus
from monitoring_api.elimination.enums import EliminationStep as StepName
from monitoring_api.models import Base, Timestamped, Versioned


def _enum(enum: type, name: str) -> Enum:
    return Enum(enum, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False, length=20)


# The open statuses, as SQL literals, from their one definition (enums.OPEN_STATUSES).
OPEN_STATUS_LIST = ", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES))


class Elimination(Timestamped, Versioned, Base):
    """Kept after the decision: the registry remembers every elimination, approved or not."""

    __tablename__ = "elimination"
    __table_args__ = (
        Index("ix_elimination_region_code_id", "region_code", "id"),
        # One elimination in progress per household; a refused or approved one does not block the next.
        Index(
            "uq_elimination_open_household_id",
            "household_id",
            unique=True,
            postgresql_where=text(f"status IN ({OPEN_STATUS_LIST})"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[EliminationKind] = mapped_column(_enum(EliminationKind, "elimination_kind"))
    status: Mapped[EliminationStatus] = mapped_column(_enum(EliminationStatus, "elimination_status"))
    opened_on: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(120))
    risk_note: Mapped[str] = mapped_column(Text)
    cleared_risk_causes: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    included_on: Mapped[date | None] = mapped_column(Date)
    category_before: Mapped[str] = mapped_column(String(20))
    category_after: Mapped[str | None] = mapped_column(String(20))
    # What the preconditions saw when the elimination was opened: months, measures, incomes, guarantees.
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    notice_from: Mapped[date | None] = mapped_column(Date)
    notice_to: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)

    steps: Mapped[list["EliminationStepRecord"]] = relationship(
        order_by="EliminationStepRecord.id", lazy="raise", back_populates="elimination"
    )


class EliminationStepRecord(Base):
    """Who did which step, when, with what outcome and why."""

    __tablename__ = "elimination_step"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    elimination_id: Mapped[int] = mapped_column(ForeignKey("elimination.id"), index=True)
    step: Mapped[StepName] = mapped_column(_enum(StepName, "elimination_step_name"))
    passed: Mapped[bool] = mapped_column(Boolean)
    done_on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    notice_from: Mapped[date | None] = mapped_column(Date)
    notice_to: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    elimination: Mapped[Elimination] = relationship(back_populates="steps", lazy="raise")
