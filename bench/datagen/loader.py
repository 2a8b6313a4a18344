"""Generate a district into monitoring.household / member / household_income with COPY, in bounded-memory chunks.

Runs on a caller's asyncpg connection inside the caller's transaction, so a test can roll it all back and the CLI
commits once. Ids are set explicitly (from the current maxima) and the identity sequences moved past them after.
No outbox events or audit rows are written: this is a bulk load for demos and benchmarks, not registry work.
"""

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import asyncpg

from bench.datagen import names, profile
from bench.datagen.draw import largest_remainder
from bench.datagen.households import (
    HOUSEHOLD_COLUMNS,
    INCOME_COLUMNS,
    MEMBER_COLUMNS,
    HouseholdFactory,
    Rows,
    Village,
)
from bench.datagen.idnumbers import IdNumbers

SCHEMA = "monitoring"
TABLES = ("household", "member", "household_income")
CATEGORIES = tuple(profile.CATEGORY_SHARES)


class Mode(StrEnum):
    new = "new"  # refuse when households exist
    append = "append"
    replace = "replace"


class Refused(Exception):
    """The database is not in a state the generator may write to; nothing was written."""


class AlreadyLoaded(Refused):
    """Households exist and neither --append nor --replace was given."""


@dataclass(frozen=True)
class Options:
    households: int = 30_000
    seed: int = 1
    as_of: date = field(default_factory=date.today)
    income_years: tuple[int, ...] = profile.DEFAULT_INCOME_YEARS
    chunk_households: int = 2_000


@dataclass
class Result:
    households: int = 0
    members: int = 0
    deceased: int = 0
    incomes: int = 0
    first_household_id: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    truncated: list[str] = field(default_factory=list)
    seconds: float = 0.0


async def read_villages(conn: asyncpg.Connection) -> list[Village]:
    rows = await conn.fetch(
        f"SELECT v.code, v.name, coalesce(t.name, '') AS town FROM {SCHEMA}.region v "
        f"LEFT JOIN {SCHEMA}.region t ON t.code = v.parent_code WHERE v.level = 'village' ORDER BY v.code"
    )
    return [Village(r["code"], r["name"], r["town"], names.village_surname(r["name"])) for r in rows]


async def count_households(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.household"))


async def _truncate(conn: asyncpg.Connection) -> list[str]:
    """Empty the registry and every monitoring table that hangs off it (they would point at removed households)."""
    dependents = await conn.fetch(
        """
        WITH RECURSIVE dep(oid) AS (
            SELECT 'monitoring.household'::regclass::oid
            UNION
            SELECT c.conrelid FROM pg_constraint c JOIN dep ON c.confrelid = dep.oid WHERE c.contype = 'f'
        )
        SELECT oid::regclass::text AS name FROM dep ORDER BY 1
        """
    )
    await conn.execute(f"TRUNCATE {SCHEMA}.household RESTART IDENTITY CASCADE")
    return [r["name"] for r in dependents]


async def _next_id(conn: asyncpg.Connection, table: str) -> int:
    return int(await conn.fetchval(f"SELECT coalesce(max(id), 0) + 1 FROM {SCHEMA}.{table}"))


async def _move_sequence_past(conn: asyncpg.Connection, table: str) -> None:
    # Never move a sequence backwards: ids handed out and rolled back elsewhere must stay unused.
    sequence = await conn.fetchval("SELECT pg_get_serial_sequence($1, 'id')", f"{SCHEMA}.{table}")
    await conn.execute(
        f"SELECT setval($1, greatest((SELECT last_value FROM {sequence}), (SELECT coalesce(max(id), 1) FROM "
        f"{SCHEMA}.{table})))",
        sequence,
    )


async def _mark_existing_numbers(conn: asyncpg.Connection, ids: IdNumbers) -> None:
    async for record in conn.cursor(f"SELECT id_number FROM {SCHEMA}.member", prefetch=10_000):
        ids.mark_taken(record["id_number"])


def _village_counts(villages: list[Village], total: int, seed: int) -> list[int]:
    """Households per village: villages differ in size; urban communities (居委会, codes below 200) are smaller."""
    weights = []
    for village in villages:
        size = random.Random(f"dixian-village:{seed}:{village.code}").uniform(0.6, 1.4)
        weights.append(size * (0.5 if int(village.code[9:]) < 200 else 1.0))
    return largest_remainder(total, weights)


def _category_plan(rng: random.Random, total: int) -> bytearray:
    """Exactly the designed share of each category, in a seeded random order (small runs keep the proportions)."""
    counts = largest_remainder(total, list(profile.CATEGORY_SHARES.values()))
    plan = bytearray()
    for index, count in enumerate(counts):
        plan.extend(bytes([index]) * count)
    rng.shuffle(plan)
    return plan


async def _copy(conn: asyncpg.Connection, rows: Rows, result: Result) -> None:
    await conn.copy_records_to_table(
        "household", schema_name=SCHEMA, columns=HOUSEHOLD_COLUMNS, records=rows.households
    )
    await conn.copy_records_to_table("member", schema_name=SCHEMA, columns=MEMBER_COLUMNS, records=rows.members)
    await conn.copy_records_to_table(
        "household_income", schema_name=SCHEMA, columns=INCOME_COLUMNS, records=rows.incomes
    )
    result.households += len(rows.households)
    result.members += len(rows.members)
    result.deceased += sum(1 for m in rows.members if m[MEMBER_COLUMNS.index("status")] != "正常")
    result.incomes += len(rows.incomes)
    result.by_category.update(h[HOUSEHOLD_COLUMNS.index("category")] for h in rows.households)


async def generate(
    conn: asyncpg.Connection,
    options: Options,
    *,
    mode: Mode = Mode.new,
    progress: Callable[[Result], None] | None = None,
) -> Result:
    """Write `options.households` households with members and incomes; the caller owns the transaction."""
    if not conn.is_in_transaction():
        raise RuntimeError("generate() runs inside the caller's transaction")
    started = time.perf_counter()
    result = Result()
    villages = await read_villages(conn)
    if not villages:
        raise Refused("monitoring.region has no villages: load the region tree first (dixian-admin load-regions)")
    existing = await count_households(conn)
    if existing and mode == Mode.new:
        raise AlreadyLoaded(f"the database already has {existing} households: pass --append or --replace")
    if existing and mode == Mode.replace:
        result.truncated = await _truncate(conn)
    # Writers wait until we commit; readers carry on.
    await conn.execute(f"LOCK TABLE {', '.join(f'{SCHEMA}.{t}' for t in TABLES)} IN SHARE ROW EXCLUSIVE MODE")
    household_id, member_id, income_id = [await _next_id(conn, t) for t in TABLES]
    result.first_household_id = household_id
    ids = IdNumbers(tuple(p for p, _ in profile.BIRTH_PREFIXES), options.as_of)
    if existing and mode == Mode.append:
        await _mark_existing_numbers(conn, ids)
    # The stream depends on where it starts, so an appended batch is new people, not the first batch again.
    rng = random.Random(f"dixian-bench:{options.seed}:{household_id}")
    plan = _category_plan(rng, options.households)
    factory = HouseholdFactory(rng, options.as_of, tuple(sorted(options.income_years)), ids)
    rows = Rows()
    position = 0
    for village, count in zip(villages, _village_counts(villages, options.households, options.seed), strict=True):
        for _ in range(count):
            category = CATEGORIES[plan[position]]
            member_id, income_id = factory.make(rows, household_id, member_id, income_id, village, category)
            household_id += 1
            position += 1
            if len(rows.households) >= options.chunk_households:
                await _copy(conn, rows, result)
                rows = Rows()
                if progress is not None:
                    progress(result)
    if rows.households:
        await _copy(conn, rows, result)
    for table in TABLES:
        await _move_sequence_past(conn, table)
    result.seconds = time.perf_counter() - started
    return result
