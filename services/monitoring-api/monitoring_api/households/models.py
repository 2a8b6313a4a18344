"""Household and member tables, with the history of moves between households and villages."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    and_,
    event,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared.contracts import AssistanceStatus
from monitoring_api.households.enums import (
    MONITORING_SUBJECTS,
    VISITED,
    Category,
    Education,
    Health,
    HouseholdStatus,
    LabourSkill,
    MemberStatus,
    Relation,
    SchoolStatus,
)
from monitoring_api.households.pinyin import initials
from monitoring_api.models import Base, Timestamped, Versioned


def _enum(enum: type, name: str) -> Enum:
    return Enum(enum, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False, length=20)


class Household(Timestamped, Versioned, Base):
    __tablename__ = "household"
    __table_args__ = (Index("ix_household_region_id", "region_code", "id"), Index("ix_household_phone", "phone"))

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"))
    head_name: Mapped[str] = mapped_column(String(50))
    category: Mapped[Category] = mapped_column(_enum(Category, "household_category"))
    status: Mapped[HouseholdStatus] = mapped_column(
        _enum(HouseholdStatus, "household_status"), default=HouseholdStatus.active
    )
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    bank_account: Mapped[str | None] = mapped_column(String(40))
    risk_causes: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    included_on: Mapped[date | None] = mapped_column(Date)
    lifted_year: Mapped[int | None]
    # 标注风险消除: an approved elimination marks the subject and keeps its category (the identification type).
    risk_eliminated_on: Mapped[date | None] = mapped_column(Date)
    elimination_id: Mapped[int | None] = mapped_column(BigInteger)
    # The day of the latest visit, kept by the visit table's triggers in the transaction of every visit written,
    # corrected or deleted (migration m11_household_last_visit): never written here. The visit cadence reads it.
    last_visited_on: Mapped[date | None] = mapped_column(Date)
    # 帮扶状态 as the province's system records it: set only by the province's updates (AssistanceStatusChange).
    assistance_status: Mapped[AssistanceStatus | None] = mapped_column(_enum(AssistanceStatus, "assistance_status"))

    @hybrid_property
    def at_risk(self) -> bool:
        """A monitoring subject whose risk has not been marked eliminated: the one definition every rule reads."""
        return self.category in MONITORING_SUBJECTS and self.risk_eliminated_on is None

    @at_risk.inplace.expression
    @classmethod
    def _at_risk(cls) -> ColumnElement[bool]:
        return and_(cls.category.in_(sorted(MONITORING_SUBJECTS)), cls.risk_eliminated_on.is_(None))

    members: Mapped[list["Member"]] = relationship(back_populates="household", lazy="raise")


# What the overdue-visit rule reads of the households it visits, so that it scans this index, not the table.
Index(
    "ix_household_visited",
    Household.region_code,
    Household.id,
    postgresql_include=["category", "risk_eliminated_on", "included_on", "created_at", "last_visited_on"],
    postgresql_where=and_(Household.status == HouseholdStatus.active, Household.category.in_(sorted(VISITED))),
)

# The at-risk subjects (5 in 100 households) for the development-measure rule and the at-risk lists.
Index(
    "ix_household_at_risk",
    Household.region_code,
    Household.id,
    postgresql_include=["included_on"],
    postgresql_where=and_(Household.status == HouseholdStatus.active, Household.at_risk),
)


class Member(Timestamped, Versioned, Base):
    __tablename__ = "member"
    __table_args__ = (
        # One person, one live registry entry: deaths and departures keep their row but free the number.
        Index(
            "uq_member_id_number_active",
            "id_number",
            unique=True,
            postgresql_where=text("status = '正常'"),
        ),
        Index("ix_member_household_id", "household_id"),
        Index("ix_member_region_id", "region_code", "id"),
        # Search (search/): prefix matches on the name and its pinyin initials, exact ones on ID number and phone.
        Index("ix_member_name_prefix", "name", postgresql_ops={"name": "text_pattern_ops"}),
        Index("ix_member_initials_prefix", "name_initials", postgresql_ops={"name_initials": "text_pattern_ops"}),
        Index("ix_member_id_number", "id_number"),
        Index("ix_member_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    region_code: Mapped[str] = mapped_column(String(12))
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(50))
    name_initials: Mapped[str] = mapped_column(String(50), default="", server_default="")
    sex: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[date] = mapped_column(Date)
    relation: Mapped[Relation] = mapped_column(_enum(Relation, "member_relation"))
    labour_skill: Mapped[LabourSkill] = mapped_column(_enum(LabourSkill, "labour_skill"))
    health: Mapped[Health] = mapped_column(_enum(Health, "member_health"), default=Health.healthy)
    school_status: Mapped[SchoolStatus] = mapped_column(
        _enum(SchoolStatus, "school_status"), default=SchoolStatus.not_student
    )
    education: Mapped[Education | None] = mapped_column(_enum(Education, "education"))
    medical_insured: Mapped[bool] = mapped_column(Boolean, default=False)
    pension_insured: Mapped[bool] = mapped_column(Boolean, default=False)
    dibao: Mapped[bool] = mapped_column(Boolean, default=False)
    tekun: Mapped[bool] = mapped_column(Boolean, default=False)
    public_welfare_job: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[MemberStatus] = mapped_column(_enum(MemberStatus, "member_status"), default=MemberStatus.active)
    status_date: Mapped[date | None] = mapped_column(Date)
    status_note: Mapped[str | None] = mapped_column(Text)

    household: Mapped[Household] = relationship(back_populates="members", lazy="raise")


class MemberMove(Base):
    """A member's move from one household to another; the member row keeps only where it is now."""

    __tablename__ = "member_move"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    from_household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    to_household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    moved_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class HouseholdMove(Base):
    """A household's move from one village to another."""

    __tablename__ = "household_move"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    from_region_code: Mapped[str] = mapped_column(String(12))
    to_region_code: Mapped[str] = mapped_column(String(12))
    moved_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AssistanceStatusChange(Base):
    """The household's provincial 帮扶状态 as each applied update of the province changed it (its history)."""

    __tablename__ = "household_assistance_status"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)  # the province's update that made the change
    status: Mapped[AssistanceStatus] = mapped_column(_enum(AssistanceStatus, "assistance_status"))
    previous_status: Mapped[AssistanceStatus | None] = mapped_column(_enum(AssistanceStatus, "assistance_status"))
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # at the province, when it says
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


@event.listens_for(Member, "before_insert")
@event.listens_for(Member, "before_update")
def _keep_initials(_mapper: Any, _connection: Any, member: Member) -> None:
    # Every ORM write of a name keeps its initials; set-based inserts (the import) compute them themselves.
    member.name_initials = initials(member.name)
