"""The running totals behind every disbursement figure (models.DisbursementState per project and fund source,
models.DisbursementProjectState per project: the same series at two grains).

A series covers the project's year and the next, [first_day, end), and breaks at the first of every month and on
every day with an entry; every span carries a copy of the project's year and place (follow() moves them). record():
an allocation or payment dated `day` splits the span holding `day` in each of its two series (when the span does not
start on it) and raises every span starting on or after `day` — an entry before the series raises all of it, one
after it none (measure.money adds those entries itself).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

KEPT_YEARS = 2  # the project year and the next: payments of a year's projects rarely run beyond


def first_day(year: int) -> date:
    return date(year, 1, 1)


def end(year: int) -> date:
    """The first day after the series."""
    return date(year + KEPT_YEARS, 1, 1)


def last_month(year: int) -> date:
    return date(year + KEPT_YEARS - 1, 12, 1)


@dataclass(frozen=True)
class Series:
    table: str
    keys: tuple[str, ...]
    copied: tuple[str, ...]  # the project's columns kept on every span (follow() moves them with the project)

    @property
    def _columns(self) -> str:
        return ", ".join((*self.keys, "valid_from", "valid_until", "allocated", "paid", *self.copied))

    def _copies(self, alias: str) -> str:
        return ", ".join(f"{alias}{column}" for column in self.copied)

    @property
    def key_list(self) -> str:
        return ", ".join(self.keys)

    def _values(self, alias: str = ":") -> str:
        return ", ".join(f"{alias}{key}" for key in self.keys)

    def _match(self, alias: str = "") -> str:
        return " AND ".join(f"{alias}{key} = :{key}" for key in self.keys)

    def ensure(self) -> TextClause:
        """The monthly spans, made on first use."""
        return text(
            f"""
            INSERT INTO {self.table} ({self._columns})
            SELECT {self._values()}, m::date, (m + interval '1 month')::date, 0, 0, {self._copies("pr.")}
            FROM funds.project AS pr
            CROSS JOIN generate_series(CAST(:first AS date), CAST(:last AS date), interval '1 month') AS m
            WHERE pr.id = :project_id
            ORDER BY m
            ON CONFLICT DO NOTHING
            """
        )

    def lock(self) -> TextClause:
        """Every span locked in date order, so two writers on one series queue rather than deadlock."""
        return text(f"SELECT valid_from FROM {self.table} WHERE {self._match()} ORDER BY valid_from FOR UPDATE")

    def split(self) -> TextClause:
        """The span holding :day, when it starts before it, ends the day before; a copy starts on :day."""
        return text(
            f"""
            WITH cut AS (
                UPDATE {self.table} AS s SET valid_until = :day
                FROM (
                    SELECT valid_from, valid_until FROM {self.table}
                    WHERE {self._match()} AND valid_from < :day AND valid_until > :day
                ) AS old
                WHERE {self._match("s.")} AND s.valid_from = old.valid_from
                RETURNING s.allocated, s.paid, old.valid_until, {self._copies("s.")}
            )
            INSERT INTO {self.table} ({self._columns})
            SELECT {self._values()}, :day, cut.valid_until, cut.allocated, cut.paid, {self._copies("cut.")} FROM cut
            """
        )

    def raise_(self) -> TextClause:
        """An entry dated :day counts in every span from :day on."""
        return text(
            f"""
            UPDATE {self.table} SET allocated = allocated + :allocated, paid = paid + :paid
            WHERE {self._match()} AND valid_from >= :day
            """
        )

    def rebuild(self) -> TextClause:
        """Every span recomputed from the allocations and payments themselves, set-based (the benchmark's generator,
        a repair): the breaks are the month starts and the entry days within the series; each span's totals are the
        running sums of the entries up to its first day, including those before the series."""
        keys = self.key_list
        return text(
            f"""
            WITH keys AS (
                SELECT DISTINCT {self._values("a.")}, {self._copies("pr.")}
                FROM funds.allocation AS a JOIN funds.project AS pr ON pr.id = a.project_id
            ),
            points AS (
                SELECT {keys}, day, sum(allocated) AS allocated, sum(paid) AS paid
                FROM (
                    SELECT {keys}, allocated_on AS day, amount AS allocated, 0 AS paid FROM funds.allocation
                    UNION ALL
                    SELECT {keys}, paid_on, 0, amount FROM funds.payment
                    UNION ALL
                    SELECT {self._values("k.")}, m.month::date, 0, 0
                    FROM keys AS k
                    CROSS JOIN LATERAL generate_series(
                        make_date(k.year, 1, 1), make_date(k.year + {KEPT_YEARS - 1}, 12, 1), interval '1 month'
                    ) AS m(month)
                ) AS entries
                GROUP BY {keys}, day
            ),
            running AS (
                SELECT {self._values("p.")}, p.day, {self._copies("k.")},
                       make_date(k.year, 1, 1) AS series_start, make_date(k.year + {KEPT_YEARS}, 1, 1) AS series_end,
                       sum(p.allocated) OVER w AS allocated, sum(p.paid) OVER w AS paid, lead(p.day) OVER w AS next_day
                FROM points AS p JOIN keys AS k USING ({keys})
                WINDOW w AS (PARTITION BY {self._values("p.")} ORDER BY p.day)
            )
            INSERT INTO {self.table} ({self._columns})
            SELECT {keys}, day, least(coalesce(next_day, series_end), series_end), allocated, paid,
                   {", ".join(self.copied)}
            FROM running
            WHERE day >= series_start AND day < series_end
            ON CONFLICT ({keys}, valid_from)
            DO UPDATE SET valid_until = excluded.valid_until, allocated = excluded.allocated, paid = excluded.paid,
                {", ".join(f"{column} = excluded.{column}" for column in self.copied)}
            """
        )

    def follow(self) -> TextClause:
        """The project's columns copied again onto every span of :project_id (after an approved change)."""
        return text(
            f"""
            UPDATE {self.table} AS s SET ({", ".join(self.copied)}) = ({self._copies("pr.")})
            FROM funds.project AS pr
            WHERE pr.id = :project_id AND s.project_id = :project_id
            """
        )


# Locked in this order by every writer: the project and fund source's series, then the project's.
BY_SOURCE = Series("funds.disbursement_state", ("project_id", "fund_source_id"), ("year", "region_code"))
BY_PROJECT = Series(
    "funds.disbursement_project_state", ("project_id",), ("year", "region_code", "town_code", "owner_department")
)
SERIES = (BY_SOURCE, BY_PROJECT)


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
    given = {"project_id": project_id, "fund_source_id": fund_source_id}
    months = {"first": first_day(project_year), "last": last_month(project_year)}
    for series in SERIES:
        keys = {key: given[key] for key in series.keys}
        await session.execute(series.ensure(), {**keys, **months})
        await session.execute(series.lock(), keys)
        await session.execute(series.split(), {**keys, "day": day})
        await session.execute(series.raise_(), {**keys, "day": day, "allocated": allocated, "paid": paid})


async def follow(session: AsyncSession, project_id: int) -> None:
    """After an approved change of the project's village or department (flushed), every span carries the new ones.
    Writers of entries lock the project row first (service.allocate, service.pay), so none adds a span meanwhile."""
    for series in SERIES:
        await session.execute(series.follow(), {"project_id": project_id})
