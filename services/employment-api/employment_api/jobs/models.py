"""Public-welfare positions and assistance-workshop jobs, and the labourers who hold them for a period."""

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from employment_api.jobs.enums import PositionKind
from employment_api.models import Base, Timestamped, Versioned

KIND = Enum(
    PositionKind, name="position_kind", values_callable=lambda e: [m.value for m in e], native_enum=False, length=10
)
# The days an occupancy covers, both ends included; an open end runs on.
PERIOD = text("daterange(start_on, end_on, '[]')")


class Position(Timestamped, Versioned, Base):
    """A public-welfare position (公益性岗位) or a job in an assistance workshop (帮扶车间), at a place."""

    __tablename__ = "position"
    __table_args__ = (
        Index("ix_position_region_code_id", "region_code", "id"),
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="period"),
        CheckConstraint("monthly_pay IS NULL OR monthly_pay >= 0", name="pay_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    kind: Mapped[PositionKind] = mapped_column(KIND)
    name: Mapped[str] = mapped_column(String(100))  # 岗位名称, e.g. 保洁员, 护林员, 车间名称·工种
    region_code: Mapped[str] = mapped_column(String(12))  # the place: a village, a town or the district
    employer: Mapped[str] = mapped_column(String(100))  # 用工单位 or the workshop's operator
    monthly_pay: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class Occupancy(Timestamped, Versioned, Base):
    """A labourer holding a position from start_on to end_on (open while still held)."""

    __tablename__ = "occupancy"
    __table_args__ = (
        Index("ix_occupancy_labourer_id", "labourer_id", "id"),
        Index("ix_occupancy_position_id", "position_id", "id"),
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="period"),
        # One person holds one public-welfare position at a time: the database refuses an overlap even when two
        # requests race past the service's check.
        ExcludeConstraint(
            ("labourer_id", "="),
            (PERIOD, "&&"),
            name="one_public_welfare_position_at_a_time",
            using="gist",
            where=text("kind = '公益性岗位'"),
        ),
        ExcludeConstraint(
            ("position_id", "="),
            ("labourer_id", "="),
            (PERIOD, "&&"),
            name="one_occupancy_per_position_and_day",
            using="gist",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    labourer_id: Mapped[int] = mapped_column(ForeignKey("labourer.id"))
    kind: Mapped[PositionKind] = mapped_column(KIND)  # the position's, fixed: the exclusion above needs it here
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(200))
