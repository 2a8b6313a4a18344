"""Purchases of consumption assistance; the seller is a registry household or a business entity."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Identity, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from funds_api.models import Base, Timestamped, Versioned, str_enum


class SellerType(StrEnum):
    household = "脱贫户"
    entity = "经营主体"


class Purchase(Timestamped, Versioned, Base):
    __tablename__ = "purchase"
    __table_args__ = (
        Index("ix_purchase_purchased_on_region_code", "purchased_on", "region_code"),
        Index("ix_purchase_region_code_id", "region_code", "id"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "(seller_type = '脱贫户' AND household_id IS NOT NULL AND entity_id IS NULL)"
            " OR (seller_type = '经营主体' AND entity_id IS NOT NULL AND household_id IS NULL)",
            name="one_seller",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    purchased_on: Mapped[date] = mapped_column(Date)
    buyer_unit: Mapped[str] = mapped_column(String(100), comment="the government unit that bought")
    seller_type: Mapped[SellerType] = mapped_column(str_enum(SellerType, "seller_type"))
    household_id: Mapped[int | None] = mapped_column(BigInteger, comment="monitoring-api household id")
    seller_id_number: Mapped[str | None] = mapped_column(String(18))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("business_entity.id"))
    seller_name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(12), comment="the seller's village (or town)")
    product: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    invoice_number: Mapped[str] = mapped_column(String(60), unique=True)
    note: Mapped[str | None] = mapped_column(Text)
