"""Bodies of the asset survey (四个一批), asset income and its distribution, and photovoltaic output."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from funds_api.assets.enums import AssetCategory, BeneficiaryGroup, Condition, Handling, SurveyState, UpkeepLevel
from funds_api.values import AsStoredCents, Day, Fen, NotBlank, Yuan

Note = Annotated[str, Field(min_length=1, max_length=2000), NotBlank]
Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2), Fen]


class SurveyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    surveyed_on: Day
    condition: Condition
    cause: Note


class SurveyHandling(BaseModel):
    """How the asset is handled (四个一批) and, once done, the outcome."""

    model_config = ConfigDict(extra="forbid")

    handling: Handling
    plan: Note
    state: SurveyState = Field(description="处置中 or 已处置")
    handled_on: Day | None = None
    outcome: Note | None = None

    @model_validator(mode="after")
    def _outcome_when_done(self) -> Self:
        if self.state is SurveyState.open:
            raise ValueError("state is 处置中 or 已处置")
        if self.state is SurveyState.done and (self.handled_on is None or self.outcome is None):
            raise ValueError("已处置 needs handled_on and outcome")
        return self


class SurveyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    asset_id: int
    region_code: str
    surveyed_on: date
    condition: Condition
    cause: str
    handling: Handling | None
    plan: str | None
    state: SurveyState
    handled_on: date | None
    outcome: str | None
    version: int


class IncomeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    received_on: Day
    amount: Money
    source: Annotated[str, Field(min_length=1, max_length=100, description="租金, 发电收益, 分红 …"), NotBlank]


class IncomeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    asset_id: int
    region_code: str
    received_on: date
    amount: Yuan
    source: str


class DistributionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    distributed_on: Day
    group: BeneficiaryGroup
    purpose: Annotated[
        str, Field(min_length=1, max_length=100, description="公益岗位工资, 奖补, 小型公益事业 …"), NotBlank
    ]
    households: Annotated[int, Field(ge=0, le=100_000)] = 0
    amount: Money


class DistributionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    income_id: int
    distributed_on: date
    group: BeneficiaryGroup
    purpose: str
    households: int
    amount: Yuan


class IncomeSummary(BaseModel):
    year: int
    region_code: str
    income: Yuan
    distributed: Yuan
    to_special_groups: Yuan
    special_share: Decimal | None = Field(
        description="to special groups / distributed, rounded half-up to 4 places; null when nothing was distributed"
    )
    by_group: dict[BeneficiaryGroup, Yuan]


class PvOutputCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: Annotated[str, Field(pattern=r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$", description="YYYY-MM, 2000 to 2100")]
    output_kwh: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2), AsStoredCents]
    income: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2), Fen]


class PvOutputRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    asset_id: int
    region_code: str
    month: date
    output_kwh: Annotated[Decimal, AsStoredCents]
    income: Yuan


class PvStationYear(BaseModel):
    asset_id: int
    name: str
    region_code: str
    months_reported: int
    output_kwh: Annotated[Decimal, AsStoredCents]
    income: Yuan


class PvReport(BaseModel):
    year: int
    stations: list[PvStationYear]
    output_kwh: Annotated[Decimal, AsStoredCents]
    income: Yuan


class CategoryCount(BaseModel):
    category: AssetCategory
    assets: int
    value: Yuan


class AssetOverview(BaseModel):
    on: date
    region_code: str
    by_category: list[CategoryCount]
    upkeep_missing: dict[UpkeepLevel, int] = Field(description="the same definition as /assets/upkeep/overdue")
    surveys: dict[SurveyState, int]


OPERATION_LABELS = {
    "surveyed_on": "排查日期",
    "condition": "资产状况",
    "cause": "原因",
    "handling": "处置方式（四个一批）",
    "plan": "处置方案",
    "handled_on": "处置日期",
    "outcome": "处置成效",
    "received_on": "收益日期",
    "source": "收益来源",
    "distributed_on": "分配日期",
    "group": "受益对象",
    "purpose": "分配用途",
    "month": "月份",
    "output_kwh": "发电量（千瓦时）",
    "income": "收益",
}
