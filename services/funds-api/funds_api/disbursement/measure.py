"""The disbursement rate in SQL — the one definition every rollup, report and the deadline list is built on.

figures(): money of the year's projects as of a day, one row per (project, fund source): allocations made and
payments made on or before the day. rate(): paid / allocated to 4 places. below(): paid short of a share of what is
allocated, compared exactly (no rounding of the rate decides a milestone); nothing allocated is never below.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, Select, and_, case, func, literal, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from funds_api.disbursement.models import Allocation, Payment
from funds_api.projects.models import Project

ZERO = literal(Decimal("0.00"), Numeric(14, 2))


def rate(paid: Any, allocated: Any) -> ColumnElement[Decimal]:
    return case((allocated > 0, func.round(paid / allocated, 4)), else_=None)


def below(paid: Any, allocated: Any, share: Decimal | None) -> ColumnElement[bool]:
    if share is None:
        return literal(False)
    return and_(allocated > 0, paid < allocated * literal(share, Numeric(6, 4)))


def figures(as_of: date, year: int, *conditions: ColumnElement[bool]) -> Select[Any]:
    """(project_id, fund_source_id, allocated, paid) of the year's projects that meet the conditions (on Project)."""
    projects = select(Project.id).where(Project.year == year, *conditions)
    allocated = (
        select(
            Allocation.project_id,
            Allocation.fund_source_id,
            func.sum(Allocation.amount).label("allocated"),
            ZERO.label("paid"),
        )
        .where(Allocation.allocated_on <= as_of, Allocation.project_id.in_(projects))
        .group_by(Allocation.project_id, Allocation.fund_source_id)
    )
    paid = (
        select(Payment.project_id, Payment.fund_source_id, ZERO.label("allocated"), func.sum(Payment.amount))
        .where(Payment.paid_on <= as_of, Payment.project_id.in_(projects))
        .group_by(Payment.project_id, Payment.fund_source_id)
    )
    lines = union_all(allocated, paid).subquery("lines")
    return select(
        lines.c.project_id,
        lines.c.fund_source_id,
        func.sum(lines.c.allocated).label("allocated"),
        func.sum(lines.c.paid).label("paid"),
    ).group_by(lines.c.project_id, lines.c.fund_source_id)
