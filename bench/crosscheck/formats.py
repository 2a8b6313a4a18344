"""python -m bench.crosscheck.formats: how long staging one part takes in each accepted format, for the same rows.

The unquoted CSV written by `bench.crosscheck.run` is rewritten with every field quoted and as JSON lines; each is
staged in-process by the upload's own code (decode, parse, check, COPY into sector_row), read 64 KiB at a time with
a turn of the event loop between reads as a network read gives, inside a transaction that is rolled back. No HTTP,
no worker. Run `bench.crosscheck.run` first: it prepares the database and writes the CSV.
"""

import argparse
import asyncio
import csv
import hashlib
import json
import time
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bench.crosscheck.run import DATA
from bench.registry import database
from monitoring_api.sector.enums import DataType
from monitoring_api.sector.intake import parsing, staging
from monitoring_api.sector.intake.validation import validator_for

RESULTS = database.ROOT / "bench" / "results" / "crosscheck-formats.json"
READ = 1 << 16
BATCH_ID = 2**62  # no real batch: everything is rolled back


def _rewrite(source: Path) -> dict[str, Path]:
    quoted, jsonl = source.with_suffix(".quoted.csv"), source.with_suffix(".jsonl")
    if not quoted.exists() or not jsonl.exists():
        with (
            source.open(encoding="utf-8", newline="") as rows,
            quoted.open("w", encoding="utf-8", newline="") as q,
            jsonl.open("w", encoding="utf-8") as j,
        ):
            reader = csv.DictReader(rows)
            writer = csv.writer(q, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
            writer.writerow(reader.fieldnames or ())
            for row in reader:
                writer.writerow(row.values())
                j.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {"text/csv": source, "text/csv (every field quoted)": quoted, "application/x-ndjson": jsonl}


async def _reads(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(READ):
            yield block
            await asyncio.sleep(0)


async def _stage(url: str, path: Path, content_type: str) -> dict[str, Any]:
    engine = create_async_engine(database.sqlalchemy_url(url))
    validator = validator_for(DataType.medical_enrolment, date.today())
    fmt = parsing.negotiate(content_type.split(" ")[0], None, None)
    try:
        async with AsyncSession(engine) as session:
            started = time.perf_counter()
            records = parsing.parse(_reads(path), fmt, validator.required, hashlib.sha256())
            counts = await staging.stage_part(session, BATCH_ID, 1, records, validator)
            seconds = time.perf_counter() - started
            await session.rollback()
    finally:
        await engine.dispose()
    return {"seconds": round(seconds, 2), "accepted": counts.accepted}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.crosscheck.formats", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/dixian_bench_crosscheck")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    source = DATA / f"medical_enrolment_{args.rows}.csv"
    if not source.exists():
        raise SystemExit(f"{source} is missing: run python -m bench.crosscheck.run --rows {args.rows} first")
    results = {
        name: {**asyncio.run(_stage(args.url, path, name)), "bytes": path.stat().st_size}
        for name, path in _rewrite(source).items()
    }
    print("| format | MiB | rows accepted | seconds |\n|---|---:|---:|---:|")
    for name, found in results.items():
        print(f"| {name} | {found['bytes'] / 2**20:.0f} | {found['accepted']:,} | {found['seconds']:.2f} |")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
