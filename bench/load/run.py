"""python -m bench.load.run: a mixed read/write load on monitoring-api, funds-api and employment-api at once.

Creates and migrates its own database (default dixian_load) with the project's commands, starts the three services
on loopback ports as deployed (their own CLIs, JSON access log, outbox relay), and drives each for a fixed time with
a closed loop of list reads, record reads and writes. Prints error rate, throughput and p50/p99 per service and
writes bench/results/load.json. Never part of the test suite: see bench/load/README.md.
"""

import argparse
import asyncio
import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load import driver, mix
from bench.registry import database, servers
from dixian_shared.auth.tokens import TokenIssuer, generate_key_pair
from dixian_shared.settings import AuthSettings

RESULTS = database.ROOT / "bench" / "results" / "load.json"
SERVICES = {"monitoring-api": "MONITORING", "funds-api": "FUNDS", "employment-api": "EMPLOYMENT"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load.run", description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="dixian_load")
    parser.add_argument("--seconds", type=float, default=180.0, help="measured time (all services at once)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap per service")
    parser.add_argument("--concurrency", type=int, default=8, help="connections per service")
    parser.add_argument("--write-share", type=float, default=0.2, help="share of requests that write")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers per service")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args()


def prepare(url: str) -> None:
    sa_url = database.sqlalchemy_url(url)
    database._run([str(database.BIN / "dixian-admin"), "--database-url", sa_url, "migrate-identity"])
    for service, prefix in SERVICES.items():
        database._run([str(database.BIN / service), "migrate"], dict(os.environ, **{f"{prefix}_POSTGRES__URL": sa_url}))
    schemas = ["--schemas", "monitoring,funds,employment", "--file", str(database.REGION_FILE)]
    database._run([str(database.BIN / "dixian-admin"), "--database-url", sa_url, "load-regions", *schemas])


def start(service: str, url: str, keys: Path, workers: int) -> servers.Server:
    prefix = SERVICES[service]
    port = servers.free_port()
    env = dict(
        os.environ,
        **{
            f"{prefix}_POSTGRES__URL": database.sqlalchemy_url(url),
            f"{prefix}_AUTH__PRIVATE_KEY_FILE": str(keys / "private.pem"),
            f"{prefix}_AUTH__PUBLIC_KEY_FILE": str(keys / "public.pem"),
            # One token drives each service: the per-person rate limit (for people, not a load driver) is off.
            f"{prefix}_LIMITS__REQUESTS_PER_MINUTE": "0",
        },
    )
    command = [str(database.BIN / service), "serve", "--port", str(port), "--workers", str(workers)]
    return servers._start(service, command, env, port, keys)


def _table(results: dict[str, Any]) -> str:
    lines = [
        "| service | operation | requests | req/s | errors | error rate | p50 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for service, ops in results.items():
        for op, s in ops.items():
            lines.append(f"| {service} | {op} | {s['requests']:,} | {s['rps']:,.0f} | {s['errors']} | "
                         f"{s['error_rate']:.2%} | {s['p50_ms']} | {s['p99_ms']} |")  # fmt: skip
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> None:
    await database._ensure_database(args.admin_url, args.database, fresh=True)
    url = database.database_url(args.admin_url, args.database)
    prepare(url)
    with tempfile.TemporaryDirectory(prefix="dixian-load-") as folder:
        keys = Path(folder)
        generate_key_pair(keys / "private.pem", keys / "public.pem")
        issuer = TokenIssuer(AuthSettings(private_key_file=keys / "private.pem", public_key_file=keys / "public.pem"))
        token, _ = issuer.issue(subject="load-village", role="village", region_code=mix.VILLAGE, name="load")
        started = [start(service, url, keys, args.workers) for service in SERVICES]
        try:
            mixes = mix.mixes()
            for server, m in zip(started, mixes, strict=True):
                servers.wait_until_answering(server, token, f"{m.collection}?limit=1")
            load_before = os.getloadavg()
            began = time.monotonic()
            runs = await asyncio.gather(*(
                driver.drive_service(server.base_url, token, m, concurrency=args.concurrency, seconds=args.seconds,
                                     max_requests=args.max_requests, write_share=args.write_share, seed_value=i)
                for i, (server, m) in enumerate(zip(started, mixes, strict=True))
            ))  # fmt: skip
            elapsed = time.monotonic() - began
            load_after = os.getloadavg()
        finally:
            for server in started:
                servers.stop(server)
    results = {
        m.service: {"all": run["all"].summary(run["seconds"])}
        | {op: t.summary(run["seconds"]) for op, t in sorted(run["ops"].items())}
        for m, run in zip(mixes, runs, strict=True)
    }
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "admin_url"},
        "elapsed_s": round(elapsed, 1),
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in load_after]},
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(_table(results))
    print(f"\n{elapsed:.0f}s measured; load average before {load_before[0]:.1f}, after {load_after[0]:.1f}; "
          f"results in {args.output}")  # fmt: skip


def main() -> None:
    asyncio.run(main_async(parse_args()))


if __name__ == "__main__":
    main()
