"""GET /deadlines: what the places must do by when, for the worker's reminders (contract DeadlineReport)."""

from typing import Annotated

from fastapi import Query

from dixian_shared.contracts import DeadlineReport
from dixian_shared.deadlines import DeadlineReader, HorizonDays, ReportDay
from dixian_shared.routing import DbSession, make_router
from employment_api.deadlines import service
from employment_api.deps import Calendar, Rules, Today

router = make_router(tags=["deadlines"])


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
    on: ReportDay = None,
    region_code: Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")] = None,
    horizon_days: HorizonDays = 14,
) -> DeadlineReport:
    return await service.report(
        session, principal, rules, calendar, on=on or today, horizon_days=horizon_days, region_code=region_code
    )
