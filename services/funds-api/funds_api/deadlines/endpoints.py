"""GET /deadlines: what the places must do by when, for the worker's reminders (contract DeadlineReport)."""

from dixian_shared import regioncode
from dixian_shared.contracts import DeadlineReport
from dixian_shared.deadlines import DeadlineReader, HorizonDays, ReportDay
from dixian_shared.routing import DbSession, make_router
from funds_api.assets.deadlines import asset_upkeep
from funds_api.credit.deadlines import loan_repayments
from funds_api.deadlines.items import Contribution, Window
from funds_api.deps import Calendar, RegionFilter, Rules, Today
from funds_api.disbursement.deadlines import disbursement_milestones
from funds_api.projects.deadlines import next_year_library

router = make_router(tags=["deadlines"])

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
    on: ReportDay = None,
    region_code: RegionFilter = None,
    horizon_days: HorizonDays = 14,
) -> DeadlineReport:
    prefix = regioncode.prefix(region_code) if region_code else principal.region_prefix
    window = Window(on=on or today, horizon_days=horizon_days, region_prefix=prefix)
    items = []
    for contribute in CONTRIBUTIONS:
        items.extend(await contribute(session, rules, calendar, window))
    return DeadlineReport(service="funds-api", on=window.on, items=items)
