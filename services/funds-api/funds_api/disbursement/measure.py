"""The disbursement rate in SQL — the one definition every rollup, report and the deadline list is built on.

figures(): money of the year's projects as of a day, one row per (project, fund source): allocations made and
payments made on or before the day — the opening balance of the day's month (ledger.checkpoint) plus the entries
dated from that month's first day to the day. rate(): paid / allocated to 4 places. below(): paid short of a share
of what is allocated, compared exactly (no rounding of the rate decides a milestone); nothing allocated is never below.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, Select, and_, case, func, literal, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from funds_api.disbursement.ledger import checkpoint
from funds_api.disbursement.models import Allocation, DisbursementMonth, Payment
from funds_api.projects.models import Project

ZERO = literal(Decimal("0.00"), Numeric(14, 2))


def rate(paid: Any, allocated: Any) -> ColumnElement[Decimal]:
    return case((allocated > 0, func.round(paid / allocated, 4)), else_=None)


def below(paid: Any, allocated: Any, share: Decimal | None) -> ColumnElement[bool]:
    if share is None:
        return literal(False)
    return and_(allocated > 0, paid < allocated * literal(share, Numeric(6, 4)))


def figures(
    as_of: date, year: int, *conditions: ColumnElement[bool], only: Sequence[int] | None = None
) -> Select[*tuple[Any, ...]]:
    """(project_id, fund_source_id, allocated, paid, town_code, owner_department) as of the day.

    `conditions` on Project (the year's projects in a region) are applied by joining Project once, after the money
    is summed; `only` (a page of project ids) is applied to the money itself, so a page reads only its own rows.
    """
    start = checkpoint(as_of, year)
    allocated = select(
        Allocation.project_id, Allocation.fund_source_id, Allocation.amount.label("allocated"), ZERO.label("paid")
    ).where(Allocation.allocated_on <= as_of)
    paid = select(Payment.project_id, Payment.fund_source_id, ZERO, Payment.amount).where(Payment.paid_on <= as_of)
    if only is not None:
        allocated = allocated.where(Allocation.project_id.in_(only))
        paid = paid.where(Payment.project_id.in_(only))
    parts: list[Select[*tuple[Any, ...]]] = []
    if start is not None:
        allocated = allocated.where(Allocation.allocated_on >= start)
        paid = paid.where(Payment.paid_on >= start)
        parts.append(
            select(
                DisbursementMonth.project_id,
                DisbursementMonth.fund_source_id,
                DisbursementMonth.allocated,
                DisbursementMonth.paid,
            ).where(
                DisbursementMonth.month == start,
                DisbursementMonth.project_id.in_(only) if only is not None else literal(True),
            )
        )
    lines = union_all(*parts, allocated, paid).subquery("lines")
    summed = (
        select(
            lines.c.project_id,
            lines.c.fund_source_id,
            func.sum(lines.c.allocated).label("allocated"),
            func.sum(lines.c.paid).label("paid"),
        )
        .group_by(lines.c.project_id, lines.c.fund_source_id)
        .having(func.sum(lines.c.allocated) + func.sum(lines.c.paid) > 0)
        .subquery("summed")
    )
    return (
        select(
            summed.c.project_id,
            summed.c.fund_source_id,
            summed.c.allocated,
            summed.c.paid,
            Project.town_code,
            Project.owner_department,
        )
        .join(Project, Project.id == summed.c.project_id)
        .where(Project.year == year, *conditions)
    )
