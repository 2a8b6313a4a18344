"""Loan repayments on GET /deadlines: the due list's own definition (credit/due.py), counted per village."""

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import DeadlineItem
from dixian_shared.workdays import WorkdayCalendar
from funds_api.credit import repository
from funds_api.deadlines.items import Kind, Window, item
from funds_api.rules import FundsRules

KIND = Kind("funds.loan_repayment", "小额信贷到期还款", "village", "/loans/due")


async def loan_repayments(
    session: AsyncSession, rules: FundsRules, calendar: WorkdayCalendar, window: Window
) -> list[DeadlineItem]:
    rows = await repository.due_by_place(session, window.on, window.horizon_days, window.region_prefix)
    items: list[DeadlineItem] = []
    missed: dict[str, tuple] = {}
    for row in rows:
        if row.due_on < window.on:
            first, total = missed.get(row.region_code, (row.due_on, 0))
            missed[row.region_code] = (min(first, row.due_on), total + int(row._mapping["count"]))
        else:
            items.append(item(KIND, calendar, row.region_code, row.due_on, int(row._mapping["count"]), "upcoming"))
    # One overdue item per village: its earliest missed due date and every missed instalment.
    items.extend(item(KIND, calendar, place, first, n, "overdue") for place, (first, n) in sorted(missed.items()))
    return items
