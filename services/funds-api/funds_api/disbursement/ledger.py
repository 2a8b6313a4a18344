"""The monthly opening balances behind every disbursement figure (models.DisbursementMonth).

checkpoint(): the month whose opening balance a day's figure starts from — the latest month start on or before the
day within the project year and the next (after that the entries of the later months are simply added); before the
project year there is none and every entry up to the day is added. record(): an allocation or payment dated `day`
raises the opening balance of every kept month that starts after `day`.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

KEPT_YEARS = 2  # the project year and the next: payments of a year's projects rarely run beyond


def first_month(year: int) -> date:
    return date(year, 1, 1)


def last_month(year: int) -> date:
    return date(year + KEPT_YEARS - 1, 12, 1)


def checkpoint(as_of: date, year: int) -> date | None:
    if as_of < first_month(year):
        return None
    return min(as_of.replace(day=1), last_month(year))


# Rows of every kept month are made on first use; rows are then raised in month order, so two writers on the same
# project and fund source take the row locks in the same order and queue rather than deadlock.
_ENSURE = text(
    """
    INSERT INTO funds.disbursement_month (month, project_id, fund_source_id, allocated, paid)
    SELECT m::date, :project_id, :fund_source_id, 0, 0
    FROM generate_series(CAST(:first AS date), CAST(:last AS date), interval '1 month') AS m
    ORDER BY 1
    ON CONFLICT DO NOTHING
    """
)
_RAISE = text(
    """
    UPDATE funds.disbursement_month AS d
    SET allocated = d.allocated + :allocated, paid = d.paid + :paid
    FROM (
        SELECT month FROM funds.disbursement_month
        WHERE project_id = :project_id AND fund_source_id = :fund_source_id AND month > :day
        ORDER BY month FOR UPDATE
    ) AS locked
    WHERE d.project_id = :project_id AND d.fund_source_id = :fund_source_id AND d.month = locked.month
    """
)


async def record(
    session: AsyncSession,
    *,
    project_id: int,
    fund_source_id: int,
    project_year: int,
    day: date,
    allocated: Decimal = Decimal("0.00"),
    paid: Decimal = Decimal("0.00"),
) -> None:
    keys = {"project_id": project_id, "fund_source_id": fund_source_id}
    await session.execute(_ENSURE, {**keys, "first": first_month(project_year), "last": last_month(project_year)})
    await session.execute(_RAISE, {**keys, "day": day, "allocated": allocated, "paid": paid})


# Every opening balance recomputed from the allocations and payments themselves, set-based (a migration's backfill,
# the benchmark's generator, a repair).
REBUILD = text(
    """
    INSERT INTO funds.disbursement_month (month, project_id, fund_source_id, allocated, paid)
    SELECT m.month::date, k.project_id, k.fund_source_id,
           coalesce((SELECT sum(a.amount) FROM funds.allocation AS a
                     WHERE a.project_id = k.project_id AND a.fund_source_id = k.fund_source_id
                       AND a.allocated_on < m.month), 0),
           coalesce((SELECT sum(p.amount) FROM funds.payment AS p
                     WHERE p.project_id = k.project_id AND p.fund_source_id = k.fund_source_id
                       AND p.paid_on < m.month), 0)
    FROM (
        SELECT DISTINCT a.project_id, a.fund_source_id, pr.year
        FROM funds.allocation AS a JOIN funds.project AS pr ON pr.id = a.project_id
    ) AS k
    CROSS JOIN LATERAL generate_series(
        make_date(k.year, 1, 1), make_date(k.year + 1, 12, 1), interval '1 month'
    ) AS m(month)
    ON CONFLICT (month, project_id, fund_source_id)
    DO UPDATE SET allocated = excluded.allocated, paid = excluded.paid
    """
)
