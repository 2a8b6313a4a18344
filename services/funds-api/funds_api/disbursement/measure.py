"""The disbursement rate in SQL — the one definition every rollup, report and the deadline list is built on.

money(): what was allocated to and paid on the year's projects on or before a day, per project (or per project and
fund source): within the two years a series is kept (ledger.py) the one running-total row whose span holds the day;
before them every entry up to the day; after them the last row plus the entries since. figures(): the same for the
year's projects in a region. rate(): paid / allocated to 4 places. below(): paid short of a share of what is
allocated, compared exactly (no rounding of the rate decides a milestone); nothing allocated is never below.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, Select, and_, case, func, literal, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared import regioncode
from dixian_shared.auth.principal import under_region
from funds_api.disbursement.ledger import end, first_day, last_month
from funds_api.disbursement.models import Allocation, DisbursementProjectState, DisbursementState, Payment
from funds_api.projects.models import Project

ZERO = literal(Decimal("0.00"), Numeric(14, 2))


def rate(paid: Any, allocated: Any) -> ColumnElement[Decimal]:
    return case((allocated > 0, func.round(paid / allocated, 4)), else_=None)


def below(paid: Any, allocated: Any, share: Decimal | None) -> ColumnElement[bool]:
    if share is None:
        return literal(False)
    return and_(allocated > 0, paid < allocated * literal(share, Numeric(6, 4)))


def _kept(as_of: date, year: int, by_source: bool, only: Sequence[int] | None) -> Select[*tuple[Any, ...]] | None:
    """The running-total rows as of the day: one per key; None before the series."""
    state = DisbursementState if by_source else DisbursementProjectState
    keys = [state.project_id, DisbursementState.fund_source_id] if by_source else [state.project_id]
    if as_of < first_day(year):
        return None
    if as_of < end(year):
        spans = [state.valid_from >= as_of.replace(day=1), state.valid_from <= as_of, state.valid_until > as_of]
    else:
        spans = [state.valid_from >= last_month(year), state.valid_until == end(year)]
    found = select(*keys, state.allocated, state.paid).where(state.year == year, *spans)
    return found.where(state.project_id.in_(only)) if only is not None else found


def _entries(as_of: date, year: int, by_source: bool, only: Sequence[int] | None) -> list[Select[*tuple[Any, ...]]]:
    """The allocations and payments up to the day that no running-total row holds: none within the series."""
    if first_day(year) <= as_of < end(year):
        return []
    allocation_keys = [Allocation.project_id, Allocation.fund_source_id] if by_source else [Allocation.project_id]
    payment_keys = [Payment.project_id, Payment.fund_source_id] if by_source else [Payment.project_id]
    allocated = select(*allocation_keys, Allocation.amount.label("allocated"), ZERO.label("paid")).where(
        Allocation.allocated_on <= as_of
    )
    paid = select(*payment_keys, ZERO, Payment.amount).where(Payment.paid_on <= as_of)
    if as_of >= end(year):
        allocated = allocated.where(Allocation.allocated_on >= end(year))
        paid = paid.where(Payment.paid_on >= end(year))
    if only is not None:
        allocated = allocated.where(Allocation.project_id.in_(only))
        paid = paid.where(Payment.project_id.in_(only))
    return [allocated, paid]


def money(as_of: date, year: int, *, by_source: bool, only: Sequence[int] | None = None) -> Select[*tuple[Any, ...]]:
    """(project_id[, fund_source_id], allocated, paid) as of the day, for every key with money allocated or paid.

    `only` (a page of project ids) restricts the rows read. Projects of other years may be among the rows: callers
    join Project on its year.
    """
    kept, entries = _kept(as_of, year, by_source, only), _entries(as_of, year, by_source, only)
    parts = [part for part in (kept, *entries) if part is not None]
    lines = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("lines")
    keys = [lines.c.project_id, lines.c.fund_source_id] if by_source else [lines.c.project_id]
    if not entries:  # one running-total row per key: nothing to add up
        return select(*keys, lines.c.allocated, lines.c.paid).where(lines.c.allocated + lines.c.paid > 0)
    allocated, paid = func.sum(lines.c.allocated), func.sum(lines.c.paid)
    return select(*keys, allocated.label("allocated"), paid.label("paid")).group_by(*keys).having(allocated + paid > 0)


def in_region(column: Any, scope: str, region_code: str | None) -> list[ColumnElement[bool]]:
    """The caller's region (its prefix: `principal.region_prefix`, as in_scope uses) and an optional narrower one."""
    conditions = [under_region(column, scope)]
    if region_code is not None:
        conditions.append(under_region(column, regioncode.prefix(region_code)))
    return conditions


def figures(
    as_of: date, year: int, scope: str, region_code: str | None = None, *, by_source: bool = True
) -> Select[*tuple[Any, ...]]:
    """money() of the year's projects in the region: (project_id, fund_source_id, allocated, paid) by fund source,
    else (project_id, allocated, paid, town_code, owner_department). Within the series the running totals carry the
    project's year and place themselves, so no project row is read."""
    kept = _kept(as_of, year, by_source, None)
    if kept is not None and not _entries(as_of, year, by_source, None):
        state = DisbursementState if by_source else DisbursementProjectState
        places = [] if by_source else [DisbursementProjectState.town_code, DisbursementProjectState.owner_department]
        return kept.add_columns(*places).where(
            state.allocated + state.paid > 0, *in_region(state.region_code, scope, region_code)
        )
    summed = money(as_of, year, by_source=by_source).subquery("summed")
    keys = [summed.c.project_id, summed.c.fund_source_id] if by_source else [summed.c.project_id]
    places = [] if by_source else [Project.town_code, Project.owner_department]
    return (
        select(*keys, summed.c.allocated, summed.c.paid, *places)
        .join(Project, Project.id == summed.c.project_id)
        .where(Project.year == year, *in_region(Project.region_code, scope, region_code))
    )
