"""The deadline report of employment-api: each deadline, upcoming within a horizon or overdue, per place."""

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import DeadlineItem, DeadlineReport
from dixian_shared.deadlines import DeadlineKind, DueCount, due_items
from dixian_shared.workdays import WorkdayCalendar
from employment_api.deadlines import repository
from employment_api.ledger import deadline_items as ledger_deadlines
from employment_api.rules import RuleSettings

SERVICE = "employment-api"

# Each repository rule and the deadline it reports.
KINDS = {
    "training_survey": DeadlineKind(
        "employment.training_survey", "培训需求调查（每半年至少一次）", "village", "/training-surveys/overdue"
    ),
}


async def report(
    session: AsyncSession,
    principal: Principal,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    *,
    on: date,
    horizon_days: int,
    region_code: str | None,
) -> DeadlineReport:
    prefix = regioncode.prefix(region_code) if region_code else principal.region_prefix
    until = on + timedelta(days=horizon_days)
    items: list[DeadlineItem] = []
    for rule, kind in KINDS.items():
        rows = await repository.due_until(session, rule, principal, rules, until, prefix)
        items += due_items(kind, calendar, map(DueCount.from_row, rows), on)
    # The ledger's two deadlines are per month and per place rather than per record: its own module builds them
    # from the same month states as GET /ledger/{month}/status.
    items += await ledger_deadlines.items(
        session, principal, rules, calendar, on=on, horizon_days=horizon_days, region_code=region_code
    )
    return DeadlineReport(service=SERVICE, on=on, items=items)
