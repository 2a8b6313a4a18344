"""Request and response bodies for warnings, recomputes and key groups."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from monitoring_api.warnings.enums import GroupBasis, KeyGroup


class WarningRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    region_code: str
    line: str = Field(description="收入线 / 支出线 / 保障线")
    grade: str = Field(description="红色 / 黄色 / 绿色")
    rule: str = Field(description="the rule that raised it")
    source: str = Field(description="系统规则, or the department that raised it")
    subject: str = Field(description="'' for the household, 'member:<id>' for one member")
    data: dict[str, Any] = Field(description="the data that raised it")
    raised_at: datetime
    resolved_at: datetime | None


class RuleCounts(BaseModel):
    raised: int = 0
    refreshed: int = 0
    resolved: int = 0


class RecomputeResult(BaseModel):
    scope: str = Field(description="household:<id> or region:<prefix>")
    rules: dict[str, RuleCounts]


class HouseholdRecompute(RecomputeResult):
    open_warnings: list[WarningRead]


class GroupMarkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key_group: KeyGroup
    reason: Annotated[str, Field(min_length=2, max_length=500)]


class GroupMarkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_id: int
    region_code: str
    key_group: KeyGroup
    reason: str
    marked_by: str
    marked_at: datetime
    ended_at: datetime | None


class GroupMembership(BaseModel):
    """One reason a household belongs to a key group: derived from its data, or a staff mark."""

    key_group: KeyGroup
    basis: GroupBasis
    reason: str
    mark_id: int | None = None


class UnscreenedItem(BaseModel):
    """A key-group member household with no 研判 recorded for the month."""

    household_id: int
    region_code: str
    head_name: str
    category: str
    key_groups: list[str] = Field(description="the key groups (八类重点人群) it belongs to")
    month: date
