"""Assessment and town-review tables."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring_api.assessments.enums import Outcome
from monitoring_api.models import Base, Timestamped, Versioned


def outcome_column_type() -> Enum:
    return Enum(
        Outcome, name="assessment_outcome", values_callable=lambda e: [m.value for m in e], native_enum=False, length=20
    )


class Assessment(Timestamped, Versioned, Base):
    """研判: one per household and month; region_code is the village that made it."""

    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("household_id", "month"),
        CheckConstraint("extract(day from month) = 1", name="month_first_day"),
        Index("ix_assessment_region_id", "region_code", "id"),
        Index("ix_assessment_outcome_month", "outcome", "month"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"))
    month: Mapped[date] = mapped_column(Date)
    outcome: Mapped[Outcome] = mapped_column(outcome_column_type())
    risk_causes: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    reasons: Mapped[str | None] = mapped_column(Text)
    assessed_by: Mapped[str] = mapped_column(String(50))
    assessed_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(120))

    review: Mapped["AssessmentReview | None"] = relationship(back_populates="assessment", lazy="raise")


class AssessmentReview(Base):
    """The town's review of a 暂不纳入 decision; at most one per assessment."""

    __tablename__ = "assessment_review"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), unique=True)
    region_code: Mapped[str] = mapped_column(String(12))
    agree: Mapped[bool] = mapped_column(Boolean)
    opinion: Mapped[str] = mapped_column(Text)
    outcome_before: Mapped[Outcome] = mapped_column(outcome_column_type())
    outcome_after: Mapped[Outcome] = mapped_column(outcome_column_type())
    reviewed_by: Mapped[str] = mapped_column(String(120))
    reviewer_name: Mapped[str] = mapped_column(String(50))
    reviewed_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    assessment: Mapped[Assessment] = relationship(back_populates="review", lazy="raise")
