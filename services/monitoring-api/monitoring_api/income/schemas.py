"""Request and response bodies for yearly household income."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Twelve digits per component keep the sum of four inside NUMERIC(14,2).
Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2, examples=["12000.00"])]

EARLIEST_YEAR = 2013  # the national poverty registration (建档立卡) starts here


class IncomeWrite(BaseModel):
    """The components as collected; 家庭纯收入 and 人均纯收入 are computed by the server, never sent."""

    model_config = ConfigDict(extra="forbid")

    wage_income: Amount = Field(default=Decimal(0), description="工资性收入")
    business_income: Amount = Field(default=Decimal(0), description="生产经营性收入")
    property_income: Amount = Field(default=Decimal(0), description="财产性收入")
    transfer_income: Amount = Field(default=Decimal(0), description="转移性收入")
    business_expense: Amount = Field(default=Decimal(0), description="生产经营性支出")
    compliant_out_of_pocket: Amount = Field(default=Decimal(0), description="合规自付支出 (medical, education)")
    household_size: Annotated[int, Field(ge=1, le=50)] | None = Field(
        default=None, description="家庭人口; when absent, the household's active members at the time of recording"
    )


class IncomeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    household_id: int
    region_code: str
    year: int
    wage_income: Decimal
    business_income: Decimal
    property_income: Decimal
    transfer_income: Decimal
    business_expense: Decimal
    compliant_out_of_pocket: Decimal
    household_size: int
    net_income: Decimal = Field(description="家庭纯收入")
    per_capita_net_income: Decimal = Field(description="人均纯收入")
    created_at: datetime
    updated_at: datetime
    version: int


class VerifiedIncomeRead(BaseModel):
    """收入核实 by the province for one year (POST /service/province-updates, type income_verified)."""

    model_config = ConfigDict(from_attributes=True)

    year: int
    per_capita_net_income: Decimal = Field(description="人均纯收入 as the province verified it")
    verified_on: date
    items: dict[str, Decimal] = Field(description="the verified form's items, when the province sent them")
