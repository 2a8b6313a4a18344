"""Loan repayments on GET /deadlines: the due list's own definition (credit/due.py), counted per village."""

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import DeadlineItem
from dixian_shared.deadlines import DeadlineKind, DueCount, due_items
from dixian_shared.workdays import WorkdayCalendar
from funds_api.credit import repository
from funds_api.deadlines.items import Window
from funds_api.rules import FundsRules

KIND = DeadlineKind("funds.loan_repayment", "小额信贷到期还款", "village", "/loans/due")


async def loan_repayments(
    session: AsyncSession, rules: FundsRules, calendar: WorkdayCalendar, window: Window
) -> list[DeadlineItem]:
    rows = await repository.due_by_place(session, window.on, window.horizon_days, window.region_prefix)
    return due_items(KIND, calendar, map(DueCount.from_row, rows), window.on)
