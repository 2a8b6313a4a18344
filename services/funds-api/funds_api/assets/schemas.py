"""Request and response bodies of project assets and their ledgers."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from funds_api.assets.enums import AssetCategory, AssetKind, LedgerLevel, OwnerType, UpkeepLevel
from funds_api.values import Day, Fen, NotBlank, Yuan

Name = Annotated[str, Field(min_length=1, max_length=200), NotBlank]
Short = Annotated[str, Field(min_length=1, max_length=100), NotBlank]
Note = Annotated[str, Field(min_length=1, max_length=2000), NotBlank]
Value = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2), Fen]
RegionCode = Annotated[str, Field(pattern=r"^\d{12}$")]


class AssetFormed(BaseModel):
    """An asset a project formed, as registered with the project's completion (or later)."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    category: AssetCategory
    kind: AssetKind = AssetKind.other
    owner_type: OwnerType
    owner: Short = Field(description="确权: e.g. 谢岗村股份经济合作社")
    value: Value
    ledger_level: LedgerLevel
    department: Annotated[str, Field(min_length=1, max_length=50), NotBlank] | None = None
    region_code: RegionCode = Field(description="the village (村级), town (乡镇) or district (区级, 部门) keeping it")
    location: Name
    note: Note | None = None

    @model_validator(mode="after")
    def _department(self) -> Self:
        if (self.ledger_level is LedgerLevel.department) != (self.department is not None):
            raise ValueError("a department ledger names its department; other ledgers do not")
        return self


class AssetCreate(AssetFormed):
    project_id: Annotated[int, Field(ge=1, le=2**62)]
    formed_on: Day | None = Field(default=None, description="default: the project's completion date")


class AssetUpdate(BaseModel):
    """The project, category and ledger are what the ledgers count by; they are corrected by re-registering."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    owner: Short | None = None
    value: Value | None = None
    location: Name | None = None
    disposed_on: Day | None = None
    note: Note | None = None


class AssetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    category: AssetCategory
    kind: AssetKind
    owner_type: OwnerType
    owner: str
    value: Yuan
    ledger_level: LedgerLevel
    department: str | None
    region_code: str
    location: str
    project_id: int
    formed_on: date
    disposed_on: date | None
    note: str | None
    created_at: datetime
    version: int


class LedgerLine(BaseModel):
    keeper: str = Field(description="the region code, or the department on a 部门 ledger")
    name: str | None
    category: AssetCategory
    assets: int
    value: Yuan


class Ledger(BaseModel):
    level: LedgerLevel
    lines: list[LedgerLine]
    assets: int
    value: Yuan


class UpkeepCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: UpkeepLevel
    done_on: Day
    findings: Note
    problems: Note | None = None


class UpkeepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    asset_id: int
    level: UpkeepLevel
    done_on: date
    done_by: str
    findings: str
    problems: str | None


class MissingUpkeep(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    asset_id: int
    name: str
    region_code: str
    level: UpkeepLevel
    period_start: date
    period_end: date = Field(description="the deadline: the last day of the period")


class MissingUpkeepPage(BaseModel):
    items: list[MissingUpkeep]
    next_cursor: str | None = None
    counts: dict[UpkeepLevel, int] = Field(description="over the whole scope, not only this page")


FIELD_LABELS = {
    "category": "资产类别",
    "kind": "资产类型",
    "owner_type": "产权性质",
    "owner": "产权归属",
    "value": "资产价值",
    "ledger_level": "台账层级",
    "department": "管理部门",
    "location": "坐落位置",
    "formed_on": "形成日期",
    "disposed_on": "处置日期",
    "done_on": "管护日期",
    "findings": "管护情况",
    "problems": "发现问题",
    "assets": "资产",
}
