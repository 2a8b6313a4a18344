"""Dependencies the funds routers share: the rules in force, the working-day calendar, today, who may do what."""

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Path, Query, Request

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams, page_params
from dixian_shared.workdays import WorkdayCalendar
from funds_api.rules import FundsRules

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def get_rules(request: Request) -> FundsRules:
    return request.app.state.ctx.settings.rules


async def get_calendar(request: Request) -> WorkdayCalendar:
    return WorkdayCalendar(request.app.state.ctx.settings.calendar)


def today_in_shanghai() -> date:
    """Deadlines are counted in China Standard Time."""
    return datetime.now(SHANGHAI).date()


async def get_today() -> date:
    """Today for a request; tests override this dependency to move the clock."""
    return today_in_shanghai()


Rules = Annotated[FundsRules, Depends(get_rules)]
Calendar = Annotated[WorkdayCalendar, Depends(get_calendar)]
Today = Annotated[date, Depends(get_today)]
RecordId = Annotated[int, Path(ge=1, le=2**62, description="record id")]
RegionFilter = Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")]
Paging = Annotated[PageParams, Depends(page_params)]
Year = Annotated[int, Path(ge=2000, le=2100, description="year")]

# Village, town and district staff and departments read what lies in their region; the district office and the
# finance department (a department user with the district's code) handle the money itself.
Reader = Annotated[Principal, Depends(require_roles(Role.district, Role.department, Role.town, Role.village))]
Staff = Annotated[Principal, Depends(require_roles(Role.district, Role.town, Role.village))]
Treasurer = Annotated[Principal, Depends(require_roles(Role.district, Role.department))]
District = Annotated[Principal, Depends(require_roles(Role.district))]
TownOrDistrict = Annotated[Principal, Depends(require_roles(Role.district, Role.town))]


def region_in_scope(principal: Principal, region_code: str | None) -> str | None:
    """The region a report is asked for: another region's report would be zeros under its name, a 404 as the
    summaries answer (a list filtered outside the caller's region is merely empty)."""
    if region_code is not None and not principal.can_access(region_code):
        raise NotFound(entity="region", key=region_code)
    return region_code
