"""The ledger's deadlines as GET /deadlines items: this month's (upcoming or overdue), last month's if still not done.

Built from the same month states as GET /ledger/{month}/status (ledger/status.py), so a reminder and the status
page never disagree.
"""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import DeadlineItem
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
        village_deadline, town_deadline = month_report.village_deadline, month_report.town_deadline
        for village in month_report.villages:
            if village.submitted_at is not None:
                continue
            overdue = village.state == MonthState.overdue
            if not overdue and (month < this_month or (village_deadline.effective - on).days > horizon_days):
                continue
            found.append(
                DeadlineItem(
                    kind=VILLAGE_KIND,
                    label=VILLAGE_LABEL,
                    region_code=village.region_code,
                    level="village",
                    nominal_deadline=village_deadline.nominal,
                    effective_deadline=village_deadline.effective,
                    non_working_day=village_deadline.non_working_day,
                    state="overdue" if overdue else "upcoming",
                    count=max(village.labourers - village.entries, 0),
                    link=f"{link}?region_code={village.region_code}",
                )
            )
        for town in month_report.towns:
            if town.state == MonthState.confirmed:
                continue
            overdue = on > town_deadline.effective
            if not overdue and (month < this_month or (town_deadline.effective - on).days > horizon_days):
                continue
            found.append(
                DeadlineItem(
                    kind=TOWN_KIND,
                    label=TOWN_LABEL,
                    region_code=town.region_code,
                    level="town",
                    nominal_deadline=town_deadline.nominal,
                    effective_deadline=town_deadline.effective,
                    non_working_day=town_deadline.non_working_day,
                    state="overdue" if overdue else "upcoming",
                    count=town.villages - town.confirmed,
                    link=f"{link}?region_code={town.region_code}",
                )
            )
    return found
