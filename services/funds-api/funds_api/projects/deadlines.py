"""Next year's project library on GET /deadlines: from its opening in July to the end of the year, each town whose
library is not complete (library.is_complete) is upcoming before the deadline (31 October, moved to the last working
day) and overdue after it; the district is reminded of the projects awaiting its approval."""

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import DeadlineItem
from dixian_shared.deadlines import DeadlineKind, State, deadline_item
from dixian_shared.workdays import WorkdayCalendar
from funds_api.deadlines.items import Window
from funds_api.projects import repository
from funds_api.projects.library import is_complete
from funds_api.rules import FundsRules

TOWN = DeadlineKind("funds.project_library", "下一年度项目库建设", "town", "/projects?status=待乡审核")
DISTRICT = DeadlineKind("funds.project_library", "下一年度项目库建设", "district", "/projects?status=待区审定")


async def next_year_library(
    session: AsyncSession, rules: FundsRules, calendar: WorkdayCalendar, window: Window
) -> list[DeadlineItem]:
    year = window.on.year + 1
    if not rules.library.opens_for(year) <= window.on <= date(window.on.year, 12, 31):
        return []
    nominal = rules.library.due_for(year)
    effective = calendar.deadline(nominal).effective
    if window.on <= effective:
        if effective > window.on + timedelta(days=window.horizon_days):
            return []
        state: State = "upcoming"
    else:
        state = "overdue"
    items: list[DeadlineItem] = []
    awaiting_district = 0
    for row in await repository.library_by_town(session, window.region_prefix, year):
        awaiting_district += row.awaiting_district
        if not is_complete(row):
            pending = row.awaiting_town + row.awaiting_district
            items.append(deadline_item(TOWN, calendar, row.town_code, nominal, pending, state))
    if awaiting_district and len(window.region_prefix) <= 6:
        place = window.region_prefix[:6].ljust(12, "0")
        items.append(deadline_item(DISTRICT, calendar, place, nominal, awaiting_district, state))
    return items
