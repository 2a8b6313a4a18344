"""Builds the reports from the same rollups, milestone standing and §7 share as the disbursement endpoints."""

import calendar as months
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.workdays import WorkdayCalendar
from funds_api.disbursement import rollups
from funds_api.disbursement.milestones import standing
from funds_api.disbursement.rollups import Level
from funds_api.disbursement.schemas import RateRow
from funds_api.projects import library
from funds_api.reports.schemas import MonthlyReport, QuarterlyBulletin, RankedRow
from funds_api.rules import FundsRules
from funds_api.sources.industry_share import central_industry_share


def quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, months.monthrange(year, month)[1])


def ranked(rows: list[RateRow]) -> list[RankedRow]:
    """Highest rate first; ties keep the key order; groups with nothing allocated come last."""
    order = sorted(rows, key=lambda r: (r.rate is None, -(r.rate or 0), r.key))
    return [RankedRow(**row.model_dump(), rank=index) for index, row in enumerate(order, start=1)]


ALL_LEVELS = [Level.town, Level.department, Level.fund_source, Level.district]


async def monthly(
    session: AsyncSession,
    principal: Principal,
    rules: FundsRules,
    calendar: WorkdayCalendar,
    *,
    as_of: date,
    year: int,
) -> MonthlyReport:
    view = standing(rules.disbursement, calendar, year, as_of)
    found = await rollups.rows(session, principal.region_prefix, ALL_LEVELS, view)
    return MonthlyReport(
        title=f"{year}年衔接资金项目实施和资金拨付月调度（截至{as_of.isoformat()}）",
        year=year,
        as_of=as_of,
        target=view.target,
        passed=view.passed,
        total=found[Level.district][0],
        by_town=found[Level.town],
        by_department=found[Level.department],
        by_fund_source=found[Level.fund_source],
        lagging_projects=await rollups.projects(session, principal.region_prefix, view, None, lagging_only=True),
        next_library=await library.progress(
            session, principal.region_prefix, year=year + 1, on=as_of, rules=rules.library, calendar=calendar
        ),
    )


async def quarterly(
    session: AsyncSession,
    principal: Principal,
    rules: FundsRules,
    calendar: WorkdayCalendar,
    *,
    year: int,
    quarter: int,
    as_of: date,
) -> QuarterlyBulletin:
    view = standing(rules.disbursement, calendar, year, as_of)
    found = await rollups.rows(session, principal.region_prefix, ALL_LEVELS, view)
    return QuarterlyBulletin(
        title=f"{year}年第{quarter}季度衔接资金拨付情况通报（截至{as_of.isoformat()}）",
        year=year,
        quarter=quarter,
        as_of=as_of,
        target=view.target,
        passed=view.passed,
        total=found[Level.district][0],
        towns=ranked(found[Level.town]),
        departments=ranked(found[Level.department]),
        by_fund_source=found[Level.fund_source],
        central_industry_share=await central_industry_share(
            session, principal, year=year, as_of=as_of, min_share=rules.central_industry_min_share
        ),
        lagging_projects=await rollups.projects(session, principal.region_prefix, view, None, lagging_only=True),
    )
