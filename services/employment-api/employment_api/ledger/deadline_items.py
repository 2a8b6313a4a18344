"""The ledger's deadlines as GET /deadlines items: this month's (upcoming or overdue), last month's if still not done.

Built from the same month states as GET /ledger/{month}/status (ledger/status.py), so a reminder and the status
page never disagree.
"""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import DeadlineItem
from dixian_shared.deadlines import DeadlineKind, State, deadline_item
from dixian_shared.workdays import WorkdayCalendar
from employment_api.ledger import status
from employment_api.ledger.enums import MonthState
from employment_api.rules import RuleSettings

VILLAGE_KIND, VILLAGE_LABEL = "employment.village_ledger", "村级就业台账填报"
TOWN_KIND, TOWN_LABEL = "employment.town_confirmation", "镇级就业台账录入确认"


def _previous(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


async def items(
    session: AsyncSession,
    principal: Principal,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    *,
    on: date,
    horizon_days: int,
    region_code: str | None,
) -> list[DeadlineItem]:
    """This month's village and town deadlines (upcoming within the horizon, or overdue), last month's if overdue."""
    found: list[DeadlineItem] = []
    this_month = date(on.year, on.month, 1)
    for month in (_previous(this_month), this_month):
        month_report = await status.report(
            session, principal, month, rules=rules, calendar=calendar, today=on, region_code=region_code
        )
        link = f"/ledger/{month:%Y-%m}/status"
        village_kind = DeadlineKind(VILLAGE_KIND, VILLAGE_LABEL, "village", link)
        town_kind = DeadlineKind(TOWN_KIND, TOWN_LABEL, "town", link)
        village_deadline, town_deadline = month_report.village_deadline, month_report.town_deadline
        for village in month_report.villages:
            if village.submitted_at is not None:
                continue
            overdue = village.state == MonthState.overdue
            if not overdue and (month < this_month or (village_deadline.effective - on).days > horizon_days):
                continue
            state: State = "overdue" if overdue else "upcoming"
            count = max(village.labourers - village.entries, 0)
            nominal = village_deadline.nominal
            found.append(deadline_item(village_kind, calendar, village.region_code, nominal, count, state))
        for town in month_report.towns:
            if town.state == MonthState.confirmed:
                continue
            overdue = on > town_deadline.effective
            if not overdue and (month < this_month or (town_deadline.effective - on).days > horizon_days):
                continue
            state = "overdue" if overdue else "upcoming"
            count = town.villages - town.confirmed
            found.append(deadline_item(town_kind, calendar, town.region_code, town_deadline.nominal, count, state))
    return found
