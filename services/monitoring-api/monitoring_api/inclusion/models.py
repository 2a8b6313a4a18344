"""Inclusion cases and the steps taken on them."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Enum, ForeignKey, Identity, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring_api.inclusion.enums import CaseStatus, Channel, Step, SubjectKind
from monitoring_api.models import Base, Timestamped, Versioned


def _enum(enum: type, name: str) -> Enum:
    return Enum(enum, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False, length=20)


class InclusionCase(Timestamped, Versioned, Base):
    """识别纳入: one case per clue; `stage` is the last step taken, `status` whether it is decided."""

    __tablename__ = "inclusion_case"
    __table_args__ = (
        # A household has at most one case in progress.
        Index(
            "uq_inclusion_case_household_id_open",
            "household_id",
            unique=True,
            postgresql_where=text("status = '办理中'"),
        ),
        Index("ix_inclusion_case_region_id", "region_code", "id"),
        Index("ix_inclusion_case_household_id", "household_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "inclusion_channel"))
    clue_date: Mapped[date] = mapped_column(Date)
    clue_note: Mapped[str | None] = mapped_column(Text)
    subject_kind: Mapped[SubjectKind | None] = mapped_column(_enum(SubjectKind, "subject_kind"))
    risk_causes: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    stage: Mapped[Step] = mapped_column(_enum(Step, "inclusion_step"), default=Step.clue)
    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus, "inclusion_status"), default=CaseStatus.open)
    decided_on: Mapped[date | None] = mapped_column(Date)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    opened_by: Mapped[str] = mapped_column(String(120))

    steps: Mapped[list["CaseStep"]] = relationship(back_populates="case", lazy="raise", order_by="CaseStep.id")


class CaseStep(Base):
    """One step of a case: who took it, when, what was decided and why, with the step's own facts."""

    __tablename__ = "case_step"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("inclusion_case.id"), index=True)
    step: Mapped[Step] = mapped_column(_enum(Step, "inclusion_step"))
    taken_on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(120))
    actor_name: Mapped[str] = mapped_column(String(50))
    actor_role: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    authorisation_signed: Mapped[bool | None] = mapped_column(Boolean)
    authorisation_date: Mapped[date | None] = mapped_column(Date)
    notice_start: Mapped[date | None] = mapped_column(Date)
    notice_end: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    case: Mapped[InclusionCase] = relationship(back_populates="steps", lazy="raise")
