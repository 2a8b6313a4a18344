"""The yearly income record of a household."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Identity, Integer, Numeric, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from monitoring_api.models import Base, Timestamped, Versioned

Money = Numeric(14, 2)


class HouseholdIncome(Timestamped, Versioned, Base):
    """家庭纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性 收入 − 生产经营性支出; 人均纯收入 = 家庭纯收入 / 家庭人口.

    合规自付支出 is kept beside it: the expenditure line of the three-line warning compares it with the net income.
    """

    __tablename__ = "household_income"
    __table_args__ = (UniqueConstraint("household_id", "year"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(Integer)
    wage_income: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    business_income: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    property_income: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    transfer_income: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    business_expense: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    compliant_out_of_pocket: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    household_size: Mapped[int] = mapped_column(Integer)
    net_income: Mapped[Decimal] = mapped_column(Money)
    per_capita_net_income: Mapped[Decimal] = mapped_column(Money)


class VerifiedIncome(Timestamped, Base):
    """收入核实: the per-capita net income the province verified for a household and year, as its last update said.

    Kept apart from the income collected here (HouseholdIncome): the province's figure is compared with the year's
    monitoring threshold on its own (warnings/conditions/province.py), and neither overwrites the other.
    """

    __tablename__ = "household_income_verification"
    __table_args__ = (UniqueConstraint("household_id", "year"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(Integer)
    per_capita_net_income: Mapped[Decimal] = mapped_column(Money)
    verified_on: Mapped[date] = mapped_column(Date)
    items: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"), default=dict)
    seq: Mapped[int] = mapped_column(BigInteger)  # the province's update that set these figures
