"""Job-seeker registrations (求职登记) and the "131" services each job seeker receives."""

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Date, Enum, ForeignKey, Identity, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from employment_api.models import Base, Timestamped, Versioned
from employment_api.service131.enums import SeekerOutcome, ServicePart


def _enum(enum: type, name: str) -> Enum:
    return Enum(enum, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False, length=10)


class JobSeeker(Timestamped, Versioned, Base):
    """A labourer looking for work, from registration until the registration is closed."""

    __tablename__ = "job_seeker"
    __table_args__ = (
        Index("ix_job_seeker_labourer_id", "labourer_id", "id"),
        # A person has one open registration; the 131 services are counted against it.
        Index("uq_job_seeker_open", "labourer_id", unique=True, postgresql_where=text("closed_on IS NULL")),
        CheckConstraint("closed_on IS NULL OR closed_on >= registered_on", name="period"),
        CheckConstraint("(closed_on IS NULL) = (outcome IS NULL)", name="closed_with_outcome"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    labourer_id: Mapped[int] = mapped_column(ForeignKey("labourer.id"))
    registered_on: Mapped[date] = mapped_column(Date)
    wanted_job: Mapped[str | None] = mapped_column(String(100))
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[SeekerOutcome | None] = mapped_column(_enum(SeekerOutcome, "seeker_outcome"))


class Service131(Timestamped, Versioned, Base):
    """One part of the 131 service given to a job seeker: on which day, by whom, and what was offered."""

    __tablename__ = "service131"
    __table_args__ = (Index("ix_service131_seeker_id_part", "seeker_id", "part"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("job_seeker.id"))
    part: Mapped[ServicePart] = mapped_column(_enum(ServicePart, "service_part"))
    served_on: Mapped[date] = mapped_column(Date)
    served_by: Mapped[str] = mapped_column(String(50))  # the adviser or office who gave it
    details: Mapped[str | None] = mapped_column(Text)  # e.g. the employer and job referred to
    recorded_by: Mapped[str] = mapped_column(String(120))  # the account that entered it
