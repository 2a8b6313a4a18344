"""Training-needs surveys, trainings with their attendance, and 雨露计划+ participants followed from school to job."""

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from employment_api.models import Base, Timestamped, Versioned
from employment_api.training.enums import AttendanceStatus, TrainingKind, YuluStage


def _enum(enum: type, name: str) -> Enum:
    return Enum(enum, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False, length=12)


class TrainingSurvey(Timestamped, Versioned, Base):
    """A training-needs survey (培训需求调查) of one labourer on one day."""

    __tablename__ = "training_survey"
    __table_args__ = (
        UniqueConstraint("labourer_id", "surveyed_on", name="uq_training_survey_labourer_day"),
        Index("ix_training_survey_labourer_latest", "labourer_id", "surveyed_on"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    labourer_id: Mapped[int] = mapped_column(ForeignKey("labourer.id"))
    surveyed_on: Mapped[date] = mapped_column(Date)
    surveyed_by: Mapped[str] = mapped_column(String(50))
    wants_training: Mapped[bool] = mapped_column(Boolean)
    wanted_skills: Mapped[str | None] = mapped_column(String(200))  # e.g. 电工, 育婴师, 电商
    notes: Mapped[str | None] = mapped_column(Text)


class Training(Timestamped, Versioned, Base):
    """A training course held at a place over a period."""

    __tablename__ = "training"
    __table_args__ = (
        Index("ix_training_region_code_id", "region_code", "id"),
        CheckConstraint("end_on >= start_on", name="period"),
        CheckConstraint("hours IS NULL OR hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    kind: Mapped[TrainingKind] = mapped_column(_enum(TrainingKind, "training_kind"))
    region_code: Mapped[str] = mapped_column(String(12))  # where it is held: village, town or district
    organizer: Mapped[str] = mapped_column(String(100))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))


class Attendance(Timestamped, Versioned, Base):
    """A labourer on a training: enrolled, and whether they completed it."""

    __tablename__ = "training_attendance"
    __table_args__ = (
        UniqueConstraint("training_id", "labourer_id", name="uq_training_attendance_once"),
        Index("ix_training_attendance_labourer_id", "labourer_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("training.id"))
    labourer_id: Mapped[int] = mapped_column(ForeignKey("labourer.id"))
    status: Mapped[AttendanceStatus] = mapped_column(_enum(AttendanceStatus, "attendance_status"))
    certificate: Mapped[str | None] = mapped_column(String(100))  # 结业证书 / 职业技能等级证书 number


class YuluParticipant(Timestamped, Versioned, Base):
    """A student of a lifted or monitored household supported by 雨露计划+, followed from school into work.

    Students are often not labourers yet, so the person is named by ID number and home village; `labourer_id`
    links them to the roster once they are on it.
    """

    __tablename__ = "yulu_participant"
    __table_args__ = (
        UniqueConstraint("id_number", name="uq_yulu_participant_id_number"),
        Index("ix_yulu_participant_region_code_id", "region_code", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(50))
    region_code: Mapped[str] = mapped_column(String(12))  # home village
    labourer_id: Mapped[int | None] = mapped_column(ForeignKey("labourer.id"))
    school: Mapped[str] = mapped_column(String(100))
    major: Mapped[str | None] = mapped_column(String(100))
    enrolled_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[YuluStage] = mapped_column(_enum(YuluStage, "yulu_stage"))  # the latest milestone's
    stage_on: Mapped[date] = mapped_column(Date)


class YuluMilestone(Timestamped, Base):
    """A step on the way from school to a job (graduated, employed …), recorded once and kept."""

    __tablename__ = "yulu_milestone"
    __table_args__ = (Index("ix_yulu_milestone_participant_id", "participant_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("yulu_participant.id"))
    stage: Mapped[YuluStage] = mapped_column(_enum(YuluStage, "yulu_stage"))
    reached_on: Mapped[date] = mapped_column(Date)
    employer: Mapped[str | None] = mapped_column(String(100))
    details: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
