"""Request and response bodies of consumption assistance."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dixian_shared.idnumber import ResidentId
from funds_api.purchases.models import SellerType
from funds_api.values import Day, Fen, NotBlank, Yuan

Text = Annotated[str, Field(min_length=1, max_length=100), NotBlank]


class PurchaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purchased_on: Day
    buyer_unit: Text = Field(description="采购单位, e.g. 区财政局")
    seller_type: SellerType
    seller_id_number: ResidentId | None = Field(default=None, description="脱贫户: a member of the selling household")
    seller_entity_id: Annotated[int, Field(ge=1, le=2**62)] | None = Field(default=None, description="经营主体")
    product: Text
    amount: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2), Fen]
    invoice_number: Annotated[str, Field(min_length=1, max_length=60), NotBlank]
    note: Annotated[str, Field(min_length=1, max_length=2000), NotBlank] | None = None

    @model_validator(mode="after")
    def _one_seller(self) -> Self:
        household = self.seller_type is SellerType.household
        if household and (self.seller_id_number is None or self.seller_entity_id is not None):
            raise ValueError("a purchase from a 脱贫户 names seller_id_number (and no seller_entity_id)")
        if not household and (self.seller_entity_id is None or self.seller_id_number is not None):
            raise ValueError("a purchase from a 经营主体 names seller_entity_id (and no seller_id_number)")
        return self


class PurchaseUpdate(BaseModel):
    """The seller and the amount are what was checked and counted; only bookkeeping fields are corrected."""

    model_config = ConfigDict(extra="forbid")

    product: Text | None = None
    note: Annotated[str, Field(min_length=1, max_length=2000), NotBlank] | None = None


class PurchaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    purchased_on: date
    buyer_unit: str
    seller_type: SellerType
    household_id: int | None
    entity_id: int | None
    seller_name: str
    region_code: str
    product: str
    amount: Yuan
    invoice_number: str
    note: str | None
    created_at: datetime
    version: int


class BuyerTotal(BaseModel):
    buyer_unit: str
    amount: Yuan
    purchases: int


class PurchaseSummary(BaseModel):
    year: int
    region_code: str
    goal: Yuan = Field(description="the district's goal for the year (≥ 430,000 yuan by default)")
    total: Yuan
    reached: bool
    shortfall: Yuan
    by_seller_type: dict[SellerType, Yuan]
    by_buyer: list[BuyerTotal]


FIELD_LABELS = {
    "purchased_on": "采购日期",
    "buyer_unit": "采购单位",
    "seller_type": "销售方类型",
    "seller_id_number": "销售农户身份证号",
    "seller_entity_id": "销售经营主体",
    "product": "产品",
    "invoice_number": "票据号",
}
