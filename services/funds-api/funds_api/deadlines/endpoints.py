"""GET /deadlines: what the places must do by when, for the worker's reminders (contract DeadlineReport)."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from dixian_shared import regioncode
from dixian_shared.auth.deps import require_service_scope
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import DeadlineReport, ServiceScope
from dixian_shared.routing import DbSession, make_router
from funds_api.assets.deadlines import asset_upkeep
from funds_api.credit.deadlines import loan_repayments
from funds_api.deadlines.items import Contribution, Window
from funds_api.deps import Calendar, RegionFilter, Rules, Today
from funds_api.disbursement.deadlines import disbursement_milestones
from funds_api.projects.deadlines import next_year_library
from funds_api.values import FIRST_DAY, LAST_DAY

router = make_router(tags=["deadlines"])

DeadlineReader = Annotated[Principal, Depends(require_service_scope(ServiceScope.deadlines))]

# One contribution per line, so that helpers adding domains side by side merge cleanly.
CONTRIBUTIONS: list[Contribution] = [
    loan_repayments,
    disbursement_milestones,
    next_year_library,
    asset_upkeep,
]


@router.get(
    "/deadlines",
    response_model=DeadlineReport,
    summary="Deadlines per village, town and district on a day: overdue, and upcoming within horizon_days",
)
async def deadlines(
    session: DbSession,
    principal: DeadlineReader,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    on: Annotated[
        date | None,
        Query(ge=FIRST_DAY, le=LAST_DAY, description="the day of the report (default today, Asia/Shanghai)"),
    ] = None,
    region_code: RegionFilter = None,
    horizon_days: Annotated[int, Query(ge=0, le=62, description="upcoming deadlines up to this many days ahead")] = 14,
) -> DeadlineReport:
    prefix = regioncode.prefix(region_code) if region_code else principal.region_prefix
    window = Window(on=on or today, horizon_days=horizon_days, region_prefix=prefix)
    items = []
    for contribute in CONTRIBUTIONS:
        items.extend(await contribute(session, rules, calendar, window))
    return DeadlineReport(service="funds-api", on=window.on, items=items)
