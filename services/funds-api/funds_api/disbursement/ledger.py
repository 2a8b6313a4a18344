"""The running totals behind every disbursement figure (models.DisbursementState).

A project's series (per fund source) covers its year and the next, [first_day, end), and breaks at the first of
every month and on every day with an entry. record(): an allocation or payment dated `day` splits the span holding
`day` (when it does not start on it) and raises every span starting on or after `day` — an entry before the series
raises all of it, one after it none (measure.figures adds those entries itself).
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

KEPT_YEARS = 2  # the project year and the next: payments of a year's projects rarely run beyond


def first_day(year: int) -> date:
    return date(year, 1, 1)


def end(year: int) -> date:
    """The first day after the series."""
    return date(year + KEPT_YEARS, 1, 1)


def last_month(year: int) -> date:
    return date(year + KEPT_YEARS - 1, 12, 1)


# The monthly spans are made on first use, then every span of the series is locked in date order, so two writers on
# the same project and fund source queue rather than deadlock; the split and the raise then touch only locked rows.
_ENSURE = text(
    """
    INSERT INTO funds.disbursement_state (project_id, fund_source_id, valid_from, valid_until, allocated, paid)
    SELECT :project_id, :fund_source_id, m::date, (m + interval '1 month')::date, 0, 0
    FROM generate_series(CAST(:first AS date), CAST(:last AS date), interval '1 month') AS m
    ORDER BY 3
    ON CONFLICT DO NOTHING
    """
)
_LOCK = text(
    """
    SELECT valid_from FROM funds.disbursement_state
    WHERE project_id = :project_id AND fund_source_id = :fund_source_id
    ORDER BY valid_from FOR UPDATE
    """
)
_SPLIT = text(
    """
    WITH cut AS (
        UPDATE funds.disbursement_state AS s SET valid_until = :day
        FROM (
            SELECT valid_from, valid_until FROM funds.disbursement_state
            WHERE project_id = :project_id AND fund_source_id = :fund_source_id
              AND valid_from < :day AND valid_until > :day
        ) AS old
        WHERE s.project_id = :project_id AND s.fund_source_id = :fund_source_id AND s.valid_from = old.valid_from
        RETURNING s.allocated, s.paid, old.valid_until
    )
    INSERT INTO funds.disbursement_state (project_id, fund_source_id, valid_from, valid_until, allocated, paid)
    SELECT :project_id, :fund_source_id, :day, cut.valid_until, cut.allocated, cut.paid FROM cut
    """
)
_RAISE = text(
    """
    UPDATE funds.disbursement_state
    SET allocated = allocated + :allocated, paid = paid + :paid
    WHERE project_id = :project_id AND fund_source_id = :fund_source_id AND valid_from >= :day
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
    await session.execute(_ENSURE, {**keys, "first": first_day(project_year), "last": last_month(project_year)})
    await session.execute(_LOCK, keys)
    await session.execute(_SPLIT, {**keys, "day": day})
    await session.execute(_RAISE, {**keys, "day": day, "allocated": allocated, "paid": paid})


# Every series recomputed from the allocations and payments themselves, set-based (a migration's backfill, the
# benchmark's generator, a repair): the breaks are the month starts and the entry days within the series; each
# span's totals are the running sums of the entries up to its first day, including those before the series.
REBUILD = text(
    f"""
    WITH keys AS (
        SELECT DISTINCT a.project_id, a.fund_source_id, pr.year
        FROM funds.allocation AS a JOIN funds.project AS pr ON pr.id = a.project_id
    ),
    points AS (
        SELECT project_id, fund_source_id, day, sum(allocated) AS allocated, sum(paid) AS paid
        FROM (
            SELECT project_id, fund_source_id, allocated_on AS day, amount AS allocated, 0 AS paid
            FROM funds.allocation
            UNION ALL
            SELECT project_id, fund_source_id, paid_on, 0, amount FROM funds.payment
            UNION ALL
            SELECT k.project_id, k.fund_source_id, m.month::date, 0, 0
            FROM keys AS k
            CROSS JOIN LATERAL generate_series(
                make_date(k.year, 1, 1), make_date(k.year + {KEPT_YEARS - 1}, 12, 1), interval '1 month'
            ) AS m(month)
        ) AS entries
        GROUP BY project_id, fund_source_id, day
    ),
    running AS (
        SELECT p.project_id, p.fund_source_id, p.day, make_date(k.year + {KEPT_YEARS}, 1, 1) AS series_end,
               make_date(k.year, 1, 1) AS series_start,
               sum(p.allocated) OVER w AS allocated, sum(p.paid) OVER w AS paid, lead(p.day) OVER w AS next_day
        FROM points AS p JOIN keys AS k USING (project_id, fund_source_id)
        WINDOW w AS (PARTITION BY p.project_id, p.fund_source_id ORDER BY p.day)
    )
    INSERT INTO funds.disbursement_state (project_id, fund_source_id, valid_from, valid_until, allocated, paid)
    SELECT project_id, fund_source_id, day, least(coalesce(next_day, series_end), series_end), allocated, paid
    FROM running
    WHERE day >= series_start AND day < series_end
    ON CONFLICT (project_id, fund_source_id, valid_from)
    DO UPDATE SET valid_until = excluded.valid_until, allocated = excluded.allocated, paid = excluded.paid
    """
)
