"""Per-place counts behind GET /deadlines, each built on the one definition of its rule in its own module.

A rule here is "late on day D" as its module writes it, with the deadline of each item; what is due up to a day is
what that rule finds late the day after it, so no rule is restated. Each kind answers (region_code, due_on, count).
"""

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from employment_api.rules import RuleSettings
from employment_api.training.repository import survey_due_items

Counts = Sequence[Row[*tuple[Any, ...]]]
ItemRule = Callable[[Principal, date, RuleSettings, str], Select[*tuple[Any, ...]]]


def _training_survey(principal: Principal, day: date, rules: RuleSettings, prefix: str) -> Select[*tuple[Any, ...]]:
    return survey_due_items(day, rules.training_survey_every_months, prefix, principal)


RULES: dict[str, ItemRule] = {
    "training_survey": _training_survey,
}


async def due_until(
    session: AsyncSession, kind: str, principal: Principal, rules: RuleSettings, until: date, prefix: str
) -> Counts:
    """Everything due on or before `until` and not done, per place and deadline: the rule evaluated on the day
    after `until`. The caller splits it at its day into overdue (deadline passed) and upcoming."""
    items = RULES[kind](principal, until + timedelta(days=1), rules, prefix).subquery("due")
    stmt = (
        select(items.c.region_code, items.c.due_on, func.count().label("count"))
        .where(items.c.due_on <= until)
        .group_by(items.c.region_code, items.c.due_on)
        .order_by(items.c.region_code, items.c.due_on)
    )
    return (await session.execute(stmt)).all()
