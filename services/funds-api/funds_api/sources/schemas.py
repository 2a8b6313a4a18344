"""Request and response bodies of fund sources and the central-funds-to-industry share."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from funds_api.sources.enums import FundLevel
from funds_api.values import Day, Fen, NotBlank, Yuan

Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2, description="yuan"), Fen]
DocumentNumber = Annotated[str, Field(min_length=1, max_length=100, description="文号"), NotBlank]
Name = Annotated[str, Field(min_length=1, max_length=200), NotBlank]
Note = Annotated[str, Field(max_length=4000)]


class FundSourceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    level: FundLevel
    document_number: DocumentNumber
    name: Name
    amount: Money
    received_on: Day | None = None
    note: Note | None = None


class FundSourceUpdate(BaseModel):
    """The level and year identify the money; a corrected amount may not fall below what is allocated."""

    model_config = ConfigDict(extra="forbid")

    document_number: DocumentNumber | None = None
    name: Name | None = None
    amount: Money | None = None
    received_on: Day | None = None
    note: Note | None = None


class FundSourceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    year: int
    level: FundLevel
    document_number: str
    name: str
    amount: Yuan
    received_on: date | None
    region_code: str
    note: str | None
    allocated: Yuan = Decimal("0.00")
    created_at: datetime
    updated_at: datetime
    version: int


class IndustryProject(BaseModel):
    project_id: int
    name: str
    region_code: str
    owner_department: str
    central_allocated: Yuan


class CentralIndustryShare(BaseModel):
    """§7: central connection funds spent on 产业 projects against the configured minimum share."""

    year: int
    as_of: date
    central_total: Yuan = Field(description="the year's central fund sources (中央衔接资金)")
    central_allocated: Yuan = Field(description="of which allocated to any project")
    industry_allocated: Yuan = Field(description="of which allocated to 产业 projects")
    share: Decimal | None = Field(description="industry_allocated / central_total, 4 places")
    min_share: Decimal
    met: bool
    shortfall: Yuan = Field(description="yuan still to allocate to 产业 projects to meet the share")
    projects: list[IndustryProject]
