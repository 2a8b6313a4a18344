"""python -m bench.crosscheck.sqlcheck: what the upload would cost if PostgreSQL parsed the CSV and SQL validated it.

A probe of issue 4's proposed alternative, not the upload path: COPY of the raw enrolment file into a temporary
table of text columns (numbered rows), then the same checks as fields.py for medical_enrolment written as cheaply
as this author could in SQL (GB 11643 check character through a 100,000-byte lookup per five digits, birth and
enrolment dates against hashed sets of every valid day, code list, name length and spaces), then INSERT … SELECT of
the rows that pass into a copy of sector_row. Each step is timed; everything is rolled back. See README.md.
"""

import argparse
import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import asyncpg

from bench.registry import database

DATA = database.ROOT / "bench" / "data" / "crosscheck" / "medical_enrolment_1000000.csv"
RESULTS = database.ROOT / "bench" / "results" / "crosscheck-sqlcheck.json"
COLUMNS = ("id_number", "name", "scheme", "enrolled_on")


async def _body(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as handle:
        handle.readline()  # the header is read by the API in Python, the rest streamed to COPY
        while block := handle.read(1 << 20):
            yield block


def _check_sql(today: date) -> str:
    # MOD 11-2: weight of digit i is 2^(18-i) mod 11. Five digits at a time: T[n] = sum d_j 2^(5-j) mod 11, times
    # 2^13, 2^8, 2^3 for the three chunks, then the 16th and 17th digits (weights 4 and 2).
    digit = "substr(r.id_number, {}, {})::int"
    chunks = " + ".join(f"get_byte($1, {digit.format(at, 5)}) * {2**e % 11}" for at, e in ((1, 13), (6, 8), (11, 3)))
    weighted = f"({chunks} + {digit.format(16, 1)} * 4 + {digit.format(17, 1)} * 2) % 11"
    days = "(SELECT to_char(d, '{}') FROM generate_series('{}'::date, '{}', '1 day') d)"
    births = days.format("YYYYMMDD", "1850-01-01", today)
    dates = days.format("YYYY-MM-DD", "1900-01-01", today)
    return (
        "CASE WHEN r.id_number ~ '^[0-9]+X?$' AND octet_length(r.id_number) = 18"
        f" THEN substr('10X98765432', {weighted} + 1, 1) = substr(r.id_number, 18, 1)"
        f" AND substr(r.id_number, 7, 8) IN {births} ELSE false END"
        " AND (r.name IS NULL OR char_length(r.name) <= 50 AND btrim(r.name) = r.name)"
        " AND r.scheme IN ('城乡居民基本医疗保险', '职工基本医疗保险')"
        f" AND (r.enrolled_on IS NULL OR r.enrolled_on IN {dates})"
    )


def _lookup() -> bytes:
    return bytes(sum(int(d) << (4 - j) for j, d in enumerate(f"{n:05d}")) % 11 for n in range(100_000))


async def probe(url: str, path: Path, today: date) -> dict[str, float | int]:
    connection = await asyncpg.connect(url)
    found: dict[str, float | int] = {}
    insert = (
        "INSERT INTO pg_temp.staged (batch_id, part_number, line_number, id_number, name, code, event_date)"
        " SELECT 1, 1, 1 + r.seq, r.id_number, r.name, r.scheme, r.enrolled_on::date FROM pg_temp.raw r"
    )
    try:
        transaction = connection.transaction()
        await transaction.start()
        text_columns = ", ".join(f"{name} text" for name in COLUMNS)
        await connection.execute(f"CREATE TEMP TABLE raw (seq bigint GENERATED ALWAYS AS IDENTITY, {text_columns})")
        await connection.execute("CREATE TEMP TABLE staged (LIKE monitoring.sector_row)")
        started = time.perf_counter()
        await connection.copy_to_table(
            "raw", source=_body(path), columns=COLUMNS, schema_name="pg_temp", format="csv", encoding="UTF8"
        )
        found["copy_raw_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        found["rows_passing"] = await connection.fetchval(
            f"SELECT count(*) FROM pg_temp.raw r WHERE {_check_sql(today)}", _lookup()
        )
        found["check_only_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        await connection.execute(f"{insert} WHERE {_check_sql(today)}", _lookup())
        found["check_and_insert_s"] = round(time.perf_counter() - started, 2)
        await connection.execute("TRUNCATE pg_temp.staged")
        started = time.perf_counter()
        await connection.execute(insert)
        found["insert_unchecked_s"] = round(time.perf_counter() - started, 2)
        await transaction.rollback()
    finally:
        await connection.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.crosscheck.sqlcheck", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/dixian_bench_crosscheck")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    found = asyncio.run(probe(args.url, args.data, date.today()))
    print(json.dumps(found, indent=2))
    args.output.write_text(json.dumps({"measured_on": date.today().isoformat(), **found}, indent=2) + "\n")


if __name__ == "__main__":
    main()
