"""python -m bench.generate: load a deterministic demo or benchmark district (same seed, same data) by COPY.

    python -m bench.generate --database-url URL [--households 30000] [--seed 1] [--scale N]
                             [--append | --replace] [--demo-users]

--scale multiplies the households (--scale 10: 300,000 households, about a million people). The region tree must be
loaded first. A database that already has households is refused unless --append or --replace is given; with
--demo-users alone such a database is left as it is and only the demo logins are made, so `./dev up --demo` can run
again.
"""

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from datetime import date

import asyncpg

from bench.datagen.loader import AlreadyLoaded, Mode, Options, Refused, Result, generate
from bench.demo_users import ensure_demo_users, table
from dixian_shared.settings import DEFAULT_DATABASE_URL


def asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _years(value: str) -> tuple[int, ...]:
    try:
        years = tuple(sorted({int(y) for y in value.split(",") if y.strip()}))
    except ValueError:
        raise argparse.ArgumentTypeError("years are comma-separated, e.g. 2023,2024") from None
    if not years:
        raise argparse.ArgumentTypeError("give at least one year")
    return years


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DIXIAN_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--households", type=int, default=30_000, help="households at scale 1 (default 30,000)")
    parser.add_argument("--scale", type=int, default=1, help="multiply the households (10: about a million people)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today(), help="the day ages are counted to")
    parser.add_argument("--income-years", type=_years, default=(2023, 2024), help="comma-separated, default 2023,2024")
    parser.add_argument("--chunk", type=int, default=2_000, help="households per COPY batch")
    existing = parser.add_mutually_exclusive_group()
    existing.add_argument("--append", action="store_true", help="add to the households already there")
    existing.add_argument("--replace", action="store_true", help="empty the registry (and tables hanging off it) first")
    parser.add_argument("--demo-users", action="store_true", help="also create the demo logins (demo mode only)")
    args = parser.parse_args(argv)
    if args.households < 0 or args.scale < 1 or args.chunk < 1:
        parser.error("--households must be >= 0, --scale and --chunk >= 1")
    return args


def _progress(total: int, started: float) -> Callable[[Result], None]:
    step = max(total // 10, 1)
    next_report = [step]

    def report(result: Result) -> None:
        if result.households >= next_report[0]:
            elapsed = time.perf_counter() - started
            print(f"  {result.households:>9,} households, {result.members:>10,} people  {elapsed:6.1f}s", flush=True)
            next_report[0] += step

    return report


def summary(result: Result, total_seconds: float) -> str:
    lines = [
        f"generated {result.households:,} households, {result.members:,} members "
        f"({result.members - result.deceased:,} living, {result.deceased:,} recorded deceased), "
        f"{result.incomes:,} income rows in {result.seconds:.1f}s ({total_seconds:.1f}s with commit and analyze)",
        f"first household id {result.first_household_id}",
    ]
    for category, count in sorted(result.by_category.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {category:8} {count:>9,}  {100 * count / max(result.households, 1):5.2f}%")
    if result.truncated:
        lines.append(f"replaced: emptied {', '.join(result.truncated)}")
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    url = asyncpg_url(args.database_url)
    total = args.households * args.scale
    options = Options(
        households=total, seed=args.seed, as_of=args.as_of, income_years=args.income_years, chunk_households=args.chunk
    )
    mode = Mode.append if args.append else Mode.replace if args.replace else Mode.new
    conn = await asyncpg.connect(url)
    status = 0
    try:
        if total:
            print(f"generating {total:,} households (seed {args.seed}, as of {args.as_of}, mode {mode})")
            try:
                async with conn.transaction():
                    result = await generate(conn, options, mode=mode, progress=_progress(total, started))
                await conn.execute("ANALYZE monitoring.household, monitoring.member, monitoring.household_income")
                print(summary(result, time.perf_counter() - started))
            except Refused as exc:
                print(f"bench.generate: not generating: {exc}", file=sys.stderr)
                # A loaded demo district is fine for `./dev up --demo` run again: only the logins are ensured.
                status = 0 if args.demo_users and isinstance(exc, AlreadyLoaded) else 2
        if args.demo_users:
            print(table(await ensure_demo_users(conn, args.database_url)))
    finally:
        await conn.close()
    return status


def main(argv: list[str] | None = None) -> None:
    sys.exit(asyncio.run(run(parse_args(argv))))


if __name__ == "__main__":
    main()
