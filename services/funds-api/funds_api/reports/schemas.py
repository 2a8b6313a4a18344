"""The report bodies: what the district office reads each month and publishes each quarter."""

from datetime import date

from pydantic import BaseModel, Field

from funds_api.disbursement.schemas import MilestoneRead, ProjectRate, RateRow
from funds_api.projects.schemas import LibraryProgress
from funds_api.sources.schemas import CentralIndustryShare


class RankedRow(RateRow):
    rank: int = Field(description="1 = highest disbursement rate; places with nothing allocated come last")


class MonthlyReport(BaseModel):
    """月调度: where the year's money stands on a day, per town, department and fund source, and who lags."""

    title: str
    year: int
    as_of: date
    target: MilestoneRead
    passed: MilestoneRead | None
    total: RateRow
    by_town: list[RateRow]
    by_department: list[RateRow]
    by_fund_source: list[RateRow]
    lagging_projects: list[ProjectRate]
    next_library: LibraryProgress


class QuarterlyBulletin(BaseModel):
    """季通报: the quarter's standing, towns and departments ranked, the §7 share, and the projects that missed."""

    title: str
    year: int
    quarter: int
    as_of: date
    target: MilestoneRead
    passed: MilestoneRead | None
    total: RateRow
    towns: list[RankedRow]
    departments: list[RankedRow]
    by_fund_source: list[RateRow]
    central_industry_share: CentralIndustryShare
    lagging_projects: list[ProjectRate]
