"""Business entities, industrial bases and 联农带农 link records."""

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Identity, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from funds_api.entities.enums import EntityKind, LinkKind
from funds_api.models import Base, Timestamped, Versioned, str_enum

Money = Numeric(14, 2)


class BusinessEntity(Timestamped, Versioned, Base):
    __tablename__ = "business_entity"
    __table_args__ = (
        Index("ix_business_entity_region_code_id", "region_code", "id"),
        CheckConstraint("closed_on IS NULL OR closed_on >= established_on", name="period"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[EntityKind] = mapped_column(str_enum(EntityKind, "entity_kind"))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True, comment="统一社会信用代码")
    region_code: Mapped[str] = mapped_column(String(12), comment="the village (or town) where it operates")
    legal_person: Mapped[str | None] = mapped_column(String(50))
    established_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class IndustrialBase(Timestamped, Versioned, Base):
    __tablename__ = "industrial_base"
    __table_args__ = (
        Index("ix_industrial_base_region_code_id", "region_code", "id"),
        CheckConstraint("closed_on IS NULL OR closed_on >= established_on", name="period"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[int] = mapped_column(ForeignKey("business_entity.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), comment="the village the base lies in")
    industry: Mapped[str] = mapped_column(String(50), comment="e.g. 蔬菜, 脐橙, 肉牛")
    area_mu: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    established_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)


class FarmerLink(Timestamped, Base):
    """One year's 联农带农 of one kind by an entity (at one of its bases, if any): whom it reached, what it paid."""

    __tablename__ = "farmer_link"
    __table_args__ = (
        Index("ix_farmer_link_year_region_code", "year", "region_code"),
        CheckConstraint("lifted_households <= households", name="lifted_within"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("business_entity.id"), index=True)
    base_id: Mapped[int | None] = mapped_column(ForeignKey("industrial_base.id"))
    region_code: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[LinkKind] = mapped_column(str_enum(LinkKind, "link_kind"))
    households: Mapped[int] = mapped_column(Integer, comment="farm households reached")
    lifted_households: Mapped[int] = mapped_column(Integer, comment="of which lifted households or subjects")
    people: Mapped[int] = mapped_column(Integer, default=0, comment="people employed (务工就业)")
    amount: Mapped[Decimal] = mapped_column(Money, comment="paid to farmers: wages, rent, purchases, dividends")
    note: Mapped[str | None] = mapped_column(Text)
