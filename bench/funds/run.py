"""python -m bench.funds.run: disbursement rollups and reports over 20,000 projects and 200,000 payments (issue 9).

Creates and migrates its own database (default dixian_bench_funds), generates the data with set-based SQL (or reuses
it), then calls funds-api in process (httpx ASGI transport: routing, auth, SQL and serialisation, no network) as a
district user, each scenario `--requests` times over a spread of as-of days, and prints p50/p95/max per scenario.
Never part of the test suite. See bench/funds/README.md.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.funds import data
from bench.registry.database import BIN, REGION_FILE, ROOT, _ensure_database, _run, database_url, sqlalchemy_url
from dixian_shared.auth.tokens import TokenIssuer, generate_key_pair
from dixian_shared.settings import AuthSettings, OutboxSettings, PostgresSettings, RedisSettings
from funds_api.app import create_app
from funds_api.settings import FundsSettings

RESULTS = ROOT / "bench" / "results" / "funds.json"
DAYS = ["2026-03-31", "2026-06-30", "2026-07-01", "2026-09-30", "2026-10-15", "2026-12-31"]
TOWN = "360702191000"

SCENARIOS: dict[str, tuple[str, str]] = {
    # name: (path with {day}, role)
    "by town": ("/disbursement/by-town?as_of={day}", "district"),
    "by department": ("/disbursement/by-department?as_of={day}", "district"),
    "by fund source": ("/disbursement/by-fund-source?as_of={day}", "district"),
    "projects, one page of 50": ("/disbursement/projects?as_of={day}&limit=50", "district"),
    "lagging projects, first 50": ("/disbursement/projects?as_of={day}&lagging=true&limit=50", "district"),
    "by town, a town user": ("/disbursement/by-town?as_of={day}", "town"),
    "quarterly bulletin (JSON)": ("/reports/quarterly?quarter=2026Q{quarter}", "district"),
    "quarterly bulletin (XLSX)": ("/reports/quarterly?quarter=2026Q{quarter}&format=xlsx", "district"),
    "monthly report (JSON)": ("/reports/monthly?as_of={day}", "district"),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.funds.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("DIXIAN_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--database", default="dixian_bench_funds")
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--payments-per-project", type=int, default=10)
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the benchmark database")
    parser.add_argument("--requests", type=int, default=60, help="measured requests per scenario")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args()


async def prepare(args: argparse.Namespace) -> str:
    await _ensure_database(args.admin_url, args.database, args.fresh)
    url = database_url(args.admin_url, args.database)
    env = dict(os.environ, FUNDS_POSTGRES__URL=sqlalchemy_url(url))
    _run([str(BIN / "funds-api"), "migrate"], env)
    regions = ["--file", str(REGION_FILE), "--schemas", "funds"]
    _run([str(BIN / "dixian-admin"), "--database-url", sqlalchemy_url(url), "load-regions", *regions])
    wanted = (args.projects, args.projects * args.payments_per_project)
    if await data.counts(url) == wanted:
        print(f"reusing {wanted[0]:,} projects and {wanted[1]:,} payments (pass --fresh to regenerate)", flush=True)
        return url
    started = time.perf_counter()
    await data.generate(url, projects=args.projects, payments_per_project=args.payments_per_project)
    print(f"generated {wanted[0]:,} projects and {wanted[1]:,} payments in {time.perf_counter() - started:.1f} s")
    return url


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(url: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as keys:
        private, public = Path(keys) / "private.pem", Path(keys) / "public.pem"
        generate_key_pair(private, public)
        auth = AuthSettings(private_key_file=private, public_key_file=public)
        settings = FundsSettings(
            postgres=PostgresSettings(url=sqlalchemy_url(url)),
            redis=RedisSettings(url=os.environ.get("DIXIAN_REDIS_URL", "redis://127.0.0.1:6379/0")),
            auth=auth,
            outbox=OutboxSettings(relay_enabled=False),
            log_level="WARNING",
        )
        issuer = TokenIssuer(auth)

        def bearer(role: str, region_code: str) -> dict[str, str]:
            token, _ = issuer.issue(subject=f"bench-{role}", role=role, region_code=region_code, name="bench")
            return {"Authorization": f"Bearer {token}"}

        headers = {"district": bearer("district", "360702000000"), "town": bearer("town", TOWN)}
        app = create_app(settings)
        results: dict[str, dict[str, float]] = {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://funds") as client:
            for name, (path, role) in SCENARIOS.items():
                timings: list[float] = []
                for n in range(args.warmup + args.requests):
                    day = DAYS[n % len(DAYS)]
                    target = path.format(day=day, quarter=1 + n % 4)
                    started = time.perf_counter()
                    response = await client.get(target, headers=headers[role])
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code != 200:
                        raise RuntimeError(f"{target}: {response.status_code} {response.text[:300]}")
                    if n >= args.warmup:
                        timings.append(elapsed)
                results[name] = {
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1),
                    "max_ms": round(max(timings), 1),
                    "requests": len(timings),
                }
                print(
                    f"{name:32s} p50 {results[name]['p50_ms']:7.1f} ms  p95 {results[name]['p95_ms']:7.1f} ms  "
                    f"max {results[name]['max_ms']:7.1f} ms",
                    flush=True,
                )
        await app.state.ctx.engine.dispose()
        await app.state.ctx.redis.aclose()
    return results


async def main() -> None:
    args = parse_args()
    url = await prepare(args)
    results = await measure(url, args)
    report: dict[str, Any] = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "projects": args.projects,
        "payments": args.projects * args.payments_per_project,
        "requests_per_scenario": args.requests,
        "scenarios": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"saved {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")


if __name__ == "__main__":
    asyncio.run(main())
