"""GET /deadlines: what the places must do by when, for the worker's reminders (contract DeadlineReport)."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from dixian_shared.auth.deps import require_service_scope
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import DeadlineReport, ServiceScope
from dixian_shared.routing import DbSession, make_router
from employment_api.days import FIRST_DAY, LAST_DAY
from employment_api.deadlines import service
from employment_api.deps import Calendar, Rules, Today

router = make_router(tags=["deadlines"])

DeadlineReader = Annotated[Principal, Depends(require_service_scope(ServiceScope.deadlines))]


@router.get(
    "/deadlines",
    response_model=DeadlineReport,
    summary="Deadlines per village and town on a day: overdue, and upcoming within horizon_days (service key)",
)
async def deadlines(
    session: DbSession,
    principal: DeadlineReader,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    on: Annotated[
        date | None,
        # Month arithmetic around year 1 or 9999 overflowed (a 500): the day lies in the ledger's years.
        Query(ge=FIRST_DAY, le=LAST_DAY, description="the day of the report (default today, Asia/Shanghai)"),
    ] = None,
    region_code: Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")] = None,
    horizon_days: Annotated[int, Query(ge=0, le=62, description="upcoming deadlines up to this many days ahead")] = 14,
) -> DeadlineReport:
    return await service.report(
        session, principal, rules, calendar, on=on or today, horizon_days=horizon_days, region_code=region_code
    )
