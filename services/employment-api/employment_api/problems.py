"""Refusals shared by the employment domains: a rule named by its class, and an insert guarded by a constraint."""

from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.errors import ProblemError, RuleViolation


class NamedRule(RuleViolation):
    """A RuleViolation whose rule name is its slug, so callers only pass the template's values."""

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        super().__init__(detail, rule=self.slug, **kwargs)


class NotOnRoster(NamedRule):
    slug = "labourer-on-roster"
    template = "labourer {labourer_id} has left the labour roster ({left_on}); no new records are made for them"
    title_zh = "该劳动力已不在劳动力台账中"
    template_zh = "劳动力 {labourer_id} 已于 {left_on} 退出劳动力台账，不能再为其新增记录"


class NotInFuture(NamedRule):
    slug = "date-not-in-future"
    template = "{field} {value} is after today ({today})"
    title_zh = "日期不能晚于今天"
    template_zh = "{field} {value} 晚于今天（{today}）"


class PeriodOrder(NamedRule):
    slug = "period-order"
    template = "{entity} cannot end ({end_on}) before it starts ({start_on})"
    title_zh = "结束日期早于开始日期"
    template_zh = "{entity}的结束日期（{end_on}）不能早于开始日期（{start_on}）"


async def flush_guarded(session: AsyncSession, constraints: dict[str, ProblemError], *objects: Any) -> None:
    """Add and flush in a savepoint; a violation of one of the named constraints becomes its rule's refusal.

    The service checks the rule first for a clear answer; the constraint is what stops two concurrent requests
    that both passed that check.
    """
    try:
        async with session.begin_nested():
            session.add_all(objects)
            await session.flush()
    except IntegrityError as exc:
        name = getattr(getattr(exc.orig, "__cause__", None), "constraint_name", None)
        if name in constraints:
            raise constraints[name] from None
        raise


def cents(value: Decimal) -> Decimal:
    """Yuan with two decimals, as NUMERIC(14,2) stores them, so a response says what was stored (500.5 → 500.50,
    -0 → 0.00: adding 0 drops the sign PostgreSQL does not keep)."""
    return (value + 0).quantize(Decimal("0.01"))
