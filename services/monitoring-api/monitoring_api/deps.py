"""Dependencies the monitoring routers share: the rules in force and today's date (Asia/Shanghai)."""

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

from monitoring_api.rules import RuleSettings

SHANGHAI = ZoneInfo("Asia/Shanghai")


def get_rules(request: Request) -> RuleSettings:
    return request.app.state.ctx.settings.rules  # type: ignore[no-any-return]


def get_today() -> date:
    """Deadlines are counted in China Standard Time; tests override this dependency to move the clock."""
    return datetime.now(SHANGHAI).date()


Rules = Annotated[RuleSettings, Depends(get_rules)]
Today = Annotated[date, Depends(get_today)]
