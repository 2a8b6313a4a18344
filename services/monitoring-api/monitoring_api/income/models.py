"""The yearly income record of a household."""

from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Identity, Integer, Numeric, String, UniqueConstraint
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
