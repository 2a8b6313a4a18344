"""Response bodies of the overview and the special groups."""

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class SpecialGroup(StrEnum):
    """特殊群体 (§9); the numbers in the names are the defaults of rules.income_decline_years / at_risk_months."""

    labour_shortage = "家庭劳动力不足"
    income_decline = "连续2年收入下降"
    long_at_risk = "超过6个月未取消风险"


class SpecialGroupItem(BaseModel):
    household_id: int
    region_code: str
    head_name: str
    category: str
    included_on: date | None
    detail: dict[str, Any] = Field(description="the data that puts the household in the group")


class RegionCounts(BaseModel):
    region_code: str
    name: str
    households: int
    by_category: dict[str, int]
    risk_eliminated: int = Field(
        default=0, description="monitoring subjects marked 风险消除, also counted in by_category under their type"
    )
    key_groups: dict[str, int] = Field(description="households per key group (八类重点人群)")
    warnings: dict[str, dict[str, int]] = Field(description="open warnings per line and grade")
    overdue: dict[str, int] = Field(description="overdue items per kind, from each module's contributor")


class Overview(BaseModel):
    region_code: str
    name: str
    level: str
    as_of: date
    total: RegionCounts
    children: list[RegionCounts] = Field(description="the towns of a district, the villages of a town")
