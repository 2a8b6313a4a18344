"""Routes of the monthly scheduling report (月调度) and the quarterly bulletin (季通报), as JSON or XLSX."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.responses import Response

from dixian_shared.errors import InvalidField
from dixian_shared.exports import file_response
from dixian_shared.routing import DbSession, make_router
from dixian_shared.xlsx import MEDIA_TYPE
from funds_api.deps import Calendar, Reader, Rules, Today
from funds_api.reports import service
from funds_api.reports.schemas import MonthlyReport, QuarterlyBulletin
from funds_api.reports.sheets import monthly_workbook, quarterly_workbook
from funds_api.values import FIRST_DAY, LAST_DAY

router = make_router(tags=["reports"])

Format = Annotated[Literal["json", "xlsx"], Query(description="json, or xlsx with Chinese headings")]
XLSX: dict[int | str, dict[str, Any]] = {
    200: {"content": {MEDIA_TYPE: {}}, "description": "the report (JSON, or XLSX with format=xlsx)"}
}


@router.get(
    "/reports/monthly",
    response_model=MonthlyReport,
    responses=XLSX,
    summary="月调度: disbursement per town, department and fund source as of a day, lagging projects, next library",
)
async def monthly(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    as_of: Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY, description="default today")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="default the year of as_of")] = None,
    format: Format = "json",
) -> MonthlyReport | Response:
    day = as_of or today
    report = await service.monthly(session, principal, rules, calendar, as_of=day, year=year or day.year)
    if format == "xlsx":
        return file_response(monthly_workbook(report), f"{report.title}.xlsx")
    return report


@router.get(
    "/reports/quarterly",
    response_model=QuarterlyBulletin,
    responses=XLSX,
    summary="季通报: a quarter's disbursement with towns and departments ranked, the central-industry share, laggards",
)
async def quarterly(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    quarter: Annotated[str | None, Query(pattern=r"^\d{4}Q[1-4]$", description="e.g. 2026Q2; default as_of's")] = None,
    as_of: Annotated[
        date | None, Query(ge=FIRST_DAY, le=LAST_DAY, description="default the quarter's last day, or today")
    ] = None,
    format: Format = "json",
) -> QuarterlyBulletin | Response:
    if quarter is not None:
        year, number = int(quarter[:4]), int(quarter[5])
        if not FIRST_DAY.year <= year <= LAST_DAY.year:
            raise InvalidField(
                "query.quarter",
                f"the year must lie between {FIRST_DAY.year} and {LAST_DAY.year}",
                f"年份应在 {FIRST_DAY.year} 至 {LAST_DAY.year} 之间",
            )
        day = as_of or min(service.quarter_end(year, number), today)
    else:
        day = as_of or today
        year, number = day.year, (day.month - 1) // 3 + 1
    if day.year != year:
        raise InvalidField("query.as_of", "must fall in the quarter's year", "须在该季度所在的年份内")
    bulletin = await service.quarterly(session, principal, rules, calendar, year=year, quarter=number, as_of=day)
    if format == "xlsx":
        return file_response(quarterly_workbook(bulletin), f"{bulletin.title}.xlsx")
    return bulletin
