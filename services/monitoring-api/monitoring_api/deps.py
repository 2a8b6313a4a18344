"""Dependencies the monitoring routers share: the rules in force and today's date (Asia/Shanghai)."""

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Path, Request

from dixian_shared.auth.deps import require_roles
from dixian_shared.auth.principal import Principal, Role
from monitoring_api.rules import RuleSettings

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def get_rules(request: Request) -> RuleSettings:
    return request.app.state.ctx.settings.rules


def today_in_shanghai() -> date:
    """Deadlines are counted in China Standard Time."""
    return datetime.now(SHANGHAI).date()


async def get_today() -> date:
    """Today for a request; tests override this dependency to move the clock."""
    return today_in_shanghai()


Rules = Annotated[RuleSettings, Depends(get_rules)]
RecordId = Annotated[int, Path(ge=1, le=2**62, description="record id")]
# Village, town and district staff read and write the registry. Departments read only their discrepancies,
# cadres only the households paired with them (through the visit routes); neither reads the registry at large.
Reader = Annotated[Principal, Depends(require_roles(Role.district, Role.town, Role.village))]
Writer = Reader
Today = Annotated[date, Depends(get_today)]
