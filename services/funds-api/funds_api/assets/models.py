"""Project assets and what is recorded about them: upkeep, surveys, income and its distribution, PV output."""

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from funds_api.assets.enums import (
    AssetCategory,
    AssetKind,
    BeneficiaryGroup,
    Condition,
    Handling,
    LedgerLevel,
    OwnerType,
    SurveyState,
    UpkeepLevel,
)
from funds_api.models import Base, Timestamped, Versioned, str_enum

Money = Numeric(14, 2)


class Asset(Timestamped, Versioned, Base):
    __tablename__ = "asset"
    __table_args__ = (
        Index("ix_asset_region_code_id", "region_code", "id"),
        Index("ix_asset_project_id", "project_id"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        CheckConstraint("ledger_level <> '部门' OR department IS NOT NULL", name="department_named"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[AssetCategory] = mapped_column(str_enum(AssetCategory, "asset_category"))
    kind: Mapped[AssetKind] = mapped_column(str_enum(AssetKind, "asset_kind"))
    owner_type: Mapped[OwnerType] = mapped_column(str_enum(OwnerType, "asset_owner_type"))
    owner: Mapped[str] = mapped_column(String(100), comment="确权 owner: the village collective, the department …")
    value: Mapped[Decimal] = mapped_column(Money)
    ledger_level: Mapped[LedgerLevel] = mapped_column(str_enum(LedgerLevel, "asset_ledger_level"))
    department: Mapped[str | None] = mapped_column(String(50), comment="the department keeping it (部门 ledgers)")
    region_code: Mapped[str] = mapped_column(String(12), comment="the village, town or district keeping it")
    location: Mapped[str] = mapped_column(String(200))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    formed_on: Mapped[date] = mapped_column(Date)
    disposed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class AssetUpkeep(Timestamped, Base):
    __tablename__ = "asset_upkeep"
    __table_args__ = (Index("ix_asset_upkeep_asset_id_level_done_on", "asset_id", "level", "done_on"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id"))
    region_code: Mapped[str] = mapped_column(String(12))
    level: Mapped[UpkeepLevel] = mapped_column(str_enum(UpkeepLevel, "asset_upkeep_level"))
    done_on: Mapped[date] = mapped_column(Date)
    done_by: Mapped[str] = mapped_column(String(120))
    findings: Mapped[str] = mapped_column(Text)
    problems: Mapped[str | None] = mapped_column(Text)


class AssetSurvey(Timestamped, Versioned, Base):
    """An idle, damaged or inefficient operating asset found in the survey, and how it was handled (四个一批)."""

    __tablename__ = "asset_survey"
    __table_args__ = (Index("ix_asset_survey_region_code_id", "region_code", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    surveyed_on: Mapped[date] = mapped_column(Date)
    condition: Mapped[Condition] = mapped_column(str_enum(Condition, "asset_condition"))
    cause: Mapped[str] = mapped_column(Text)
    handling: Mapped[Handling | None] = mapped_column(str_enum(Handling, "asset_handling"))
    plan: Mapped[str | None] = mapped_column(Text)
    state: Mapped[SurveyState] = mapped_column(str_enum(SurveyState, "asset_survey_state"))
    handled_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)


class AssetIncome(Timestamped, Base):
    __tablename__ = "asset_income"
    __table_args__ = (
        Index("ix_asset_income_region_code_received_on", "region_code", "received_on"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    received_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    source: Mapped[str] = mapped_column(String(100), comment="租金, 发电收益, 分红 …")


class IncomeDistribution(Timestamped, Base):
    __tablename__ = "asset_income_distribution"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    income_id: Mapped[int] = mapped_column(ForeignKey("asset_income.id"), index=True)
    distributed_on: Mapped[date] = mapped_column(Date)
    group: Mapped[BeneficiaryGroup] = mapped_column(str_enum(BeneficiaryGroup, "asset_beneficiary_group"))
    purpose: Mapped[str] = mapped_column(String(100), comment="公益岗位工资, 奖补, 小型公益事业 …")
    households: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[Decimal] = mapped_column(Money)


class PvOutput(Timestamped, Base):
    """A village photovoltaic station's output and income for one month."""

    __tablename__ = "pv_output"
    __table_args__ = (
        UniqueConstraint("asset_id", "month"),
        CheckConstraint("extract(day from month) = 1", name="month"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id"))
    region_code: Mapped[str] = mapped_column(String(12))
    month: Mapped[date] = mapped_column(Date, comment="first day of the month")
    output_kwh: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    income: Mapped[Decimal] = mapped_column(Money)
