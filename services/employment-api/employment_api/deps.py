"""Dependencies the employment routers share: the rules in force, the calendar and today's date (Asia/Shanghai)."""

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Path, Request

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.workdays import WorkdayCalendar
from employment_api.rules import RuleSettings

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def get_rules(request: Request) -> RuleSettings:
    return request.app.state.ctx.settings.rules


async def get_calendar(request: Request) -> WorkdayCalendar:
    return WorkdayCalendar(request.app.state.ctx.settings.calendar)


def today_in_shanghai() -> date:
    """Deadlines are counted in China Standard Time."""
    return datetime.now(SHANGHAI).date()


async def get_today() -> date:
    """Today for a request; tests override this dependency to move the clock."""
    return today_in_shanghai()


Rules = Annotated[RuleSettings, Depends(get_rules)]
Calendar = Annotated[WorkdayCalendar, Depends(get_calendar)]
Today = Annotated[date, Depends(get_today)]
RecordId = Annotated[int, Path(ge=1, le=2**62, description="record id")]
# Village, town and district staff keep the employment records; the district watches the targets.
Staff = Annotated[Principal, Depends(require_roles(Role.district, Role.town, Role.village))]
Village = Annotated[Principal, Depends(require_roles(Role.village))]
Town = Annotated[Principal, Depends(require_roles(Role.town))]
