"""Connection fund sources (衔接资金): one row per funding document of a level and year."""

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, Identity, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from funds_api.models import Base, Timestamped, Versioned, str_enum
from funds_api.sources.enums import FundLevel


class FundSource(Timestamped, Versioned, Base):
    __tablename__ = "fund_source"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_fund_source_year_level", "year", "level"),
        Index("uq_fund_source_document_number", "document_number", unique=True),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[FundLevel] = mapped_column(str_enum(FundLevel, "fund_level", 4))
    document_number: Mapped[str] = mapped_column(String(100))  # 文号, e.g. 赣财农指〔2026〕1号
    name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    received_on: Mapped[date | None] = mapped_column(Date)
    # The district that holds the money: scoping keeps sources with the district office and departments.
    region_code: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
