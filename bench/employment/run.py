"""python -m bench.employment.run: the employment district at full size. Targets over a year of ledger entries
(12 months × ~83,000 labourers) through the API, and a 100,000-row monthly ledger uploaded over HTTP until the
worker has committed it, beside the raw COPY floor of the same rows measured in the same run.

Never part of the test suite. See bench/employment/README.md.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.crosscheck import processes
from bench.employment import data
from bench.registry.database import BIN, ROOT, sqlalchemy_url
from bench.registry.servers import free_port
from dixian_shared.admin import load_region_tree
from dixian_shared.auth.tokens import TokenIssuer, generate_key_pair
from dixian_shared.migrations import upgrade
from dixian_shared.regions import read_region_file
from dixian_shared.settings import AuthSettings

RESULTS = ROOT / "bench" / "results" / "employment.json"
REGIONS = ROOT / "deploy" / "regions.csv"
UPLOAD_VILLAGE = "360702191200"
MONTHS = [date(2026, m, 1) for m in range(1, 13)]
UPLOAD_MONTHS = ["2027-01", "2027-02", "2027-03"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.employment.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("DIXIAN_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--database", default="dixian_bench_employment")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8", help="a Redis database of its own")
    parser.add_argument("--labourers", type=int, default=83_000)
    parser.add_argument("--upload-rows", type=int, default=100_000)
    parser.add_argument("--formats", default="xlsx,csv", help="each uploaded once, into a month of its own")
    parser.add_argument("--requests", type=int, default=30, help="timed GET /targets requests")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of an earlier run if it has its rows (uploads cleared)"
    )
    parser.add_argument("--no-targets", action="store_true", help="time the uploads only")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args()


async def _fresh_database(admin_url: str, name: str) -> str:
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


async def _reusable(admin_url: str, name: str) -> str | None:
    """The database of an earlier run, with what earlier uploads wrote taken out; None if there is none to reuse."""
    admin = await asyncpg.connect(admin_url)
    found = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
    await admin.close()
    if not found:
        return None
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    conn = await asyncpg.connect(url)
    try:
        months = [date(int(m[:4]), int(m[5:]), 1) for m in UPLOAD_MONTHS]
        await conn.execute("DELETE FROM employment.ledger_entry WHERE month = ANY($1)", months)
        await conn.execute("DELETE FROM employment.ledger_month WHERE month = ANY($1)", months)
        await conn.execute("DELETE FROM employment.ledger_upload")
        await conn.execute("VACUUM ANALYZE employment.ledger_entry")
        seeded = await conn.fetchval("SELECT count(*) FROM employment.ledger_entry")
    except asyncpg.PostgresError:
        return None
    finally:
        await conn.close()
    return url if seeded else None


async def _seed(url: str, labourers: int, seed: int) -> dict[str, float]:
    villages = [r.code for r in read_region_file(REGIONS) if r.level == "village"]
    conn = await asyncpg.connect(url)
    started = time.perf_counter()
    rows = list(data.labourers(1, labourers, villages, seed))
    await conn.copy_records_to_table("labourer", schema_name="employment", records=rows, columns=data.LABOURER_COLUMNS)
    entries = data.entries(rows, MONTHS, seed)
    await conn.copy_records_to_table(
        "ledger_entry", schema_name="employment", records=entries, columns=data.ENTRY_COLUMNS
    )
    await conn.execute("ANALYZE employment.labourer; ANALYZE employment.ledger_entry")
    count = await conn.fetchval("SELECT count(*) FROM employment.ledger_entry")
    await conn.close()
    return {"ledger_rows": count, "seed_seconds": round(time.perf_counter() - started, 1)}


async def _add_upload_village(url: str, first_id: int, count: int, seed: int) -> None:
    conn = await asyncpg.connect(url)
    rows = data.labourers(first_id, count, [UPLOAD_VILLAGE], seed + 1)
    await conn.copy_records_to_table("labourer", schema_name="employment", records=rows, columns=data.LABOURER_COLUMNS)
    await conn.execute("ANALYZE employment.labourer")
    await conn.close()


def _targets(api: processes.Process, headers: dict[str, str], requests: int) -> dict[str, Any]:
    """The first request of each month computes every village's figures (cold); later ones read them back."""

    def timed(client: httpx.Client, month: int) -> float:
        started = time.perf_counter()
        response = client.get(f"/targets/2026-{month:02d}")
        response.raise_for_status()
        return (time.perf_counter() - started) * 1000

    with httpx.Client(base_url=api.base_url, headers=headers, timeout=60) as client:
        client.get("/healthz")
        cold = sorted(timed(client, month) for month in range(1, 13))
        warm = sorted(timed(client, 1 + n % 12) for n in range(requests))
        body = client.get("/targets/2026-06").json()
    return {
        "cold_requests": len(cold),
        "cold_median_ms": round(statistics.median(cold), 1),
        "cold_max_ms": round(cold[-1], 1),
        "requests": requests,
        "median_ms": round(statistics.median(warm), 1),
        "p95_ms": round(warm[int(len(warm) * 0.95) - 1], 1),
        "max_ms": round(warm[-1], 1),
        "june_total": body["total"],
    }


async def _floor(url: str, rows: list[list[object]], month: date) -> float:
    """The same rows COPYed into a table shaped and indexed like employment.ledger_entry: the raw floor."""
    conn = await asyncpg.connect(url)
    await conn.execute("DROP TABLE IF EXISTS employment.bench_floor")
    await conn.execute("CREATE TABLE employment.bench_floor (LIKE employment.ledger_entry INCLUDING ALL)")
    records = [
        (row[0], month, UPLOAD_VILLAGE, 0, row[3], row[4], row[5], row[6],
         Decimal(str(row[7])) if row[7] is not None else None, row[8], False, None, 1)
        for row in rows
    ]  # fmt: skip
    started = time.perf_counter()
    await conn.copy_records_to_table(
        "bench_floor", schema_name="employment", records=records, columns=data.ENTRY_COLUMNS
    )
    elapsed = time.perf_counter() - started
    await conn.execute("DROP TABLE employment.bench_floor")
    await conn.close()
    return elapsed


def _upload(api: processes.Process, headers: dict[str, str], content: bytes, name: str, month: str) -> dict[str, Any]:
    with httpx.Client(base_url=api.base_url, headers=headers, timeout=3600) as client:
        started = time.perf_counter()
        response = client.post(
            f"/ledger/{month}/villages/{UPLOAD_VILLAGE}/upload",
            files={"file": (name, content)},
            data={"late_reason": "基准测试"},
        )
        accepted = time.perf_counter() - started
        assert response.status_code in (201, 202), response.text
        location = response.headers["Location"]
        body = response.json()
        states = [body["state"]]
        while body["state"] in ("排队中", "处理中"):
            time.sleep(0.02)
            body = client.get(location).json()
            if body["state"] != states[-1]:
                states.append(body["state"])
        total = time.perf_counter() - started
    assert body["state"] == "已完成", body
    return {
        "http_status": response.status_code,
        "answered_seconds": round(accepted, 2),
        "committed_seconds": round(total, 2),
        "states_seen": states,
        "rows_read": body["rows_read"],
        "inserted": body["inserted"],
        "updated": body["updated"],
    }


def main() -> None:
    args = parse_args()
    reused = asyncio.run(_reusable(args.admin_url, args.database)) if args.reuse else None
    url = reused or asyncio.run(_fresh_database(args.admin_url, args.database))
    upgrade(
        Path(__file__).resolve().parents[2] / "services/employment-api/employment_api/migrations",
        sqlalchemy_url(url),
        "employment",
    )
    if reused:
        seeded: dict[str, float] = {"reused": True}
    else:
        asyncio.run(load_region_tree(sqlalchemy_url(url), ["employment"], REGIONS))
        seeded = asyncio.run(_seed(url, args.labourers, args.seed))
    print("seeded", seeded, flush=True)

    folder = Path(tempfile.mkdtemp(prefix="bench-employment-"))
    generate_key_pair(folder / "private.pem", folder / "public.pem")
    issuer = TokenIssuer(AuthSettings(private_key_file=folder / "private.pem", public_key_file=folder / "public.pem"))
    district = {
        "Authorization": "Bearer "
        + issuer.issue(subject="bench", role="district", region_code="360702000000", name="区")[0]
    }
    village = {
        "Authorization": "Bearer "
        + issuer.issue(subject="bench-v", role="village", region_code=UPLOAD_VILLAGE, name="村")[0]
    }
    env = dict(
        os.environ,
        EMPLOYMENT_POSTGRES__URL=sqlalchemy_url(url),
        EMPLOYMENT_REDIS__URL=args.redis_url,
        EMPLOYMENT_AUTH__PUBLIC_KEY_FILE=str(folder / "public.pem"),
        EMPLOYMENT_LIMITS__REQUESTS_PER_MINUTE="0",
        WORKER_REDIS__URL=args.redis_url,
        WORKER_POSTGRES__URL=sqlalchemy_url(url),
        dramatiq_worker_timeout="100",
    )
    logs = folder
    port = free_port()
    api = processes._spawn(
        "employment-api", [str(BIN / "employment-api"), "serve", "--port", str(port)], env, logs, port
    )
    worker = processes._spawn(
        "worker",
        [str(BIN / "dramatiq"), "dixian_worker.actors", "--processes", "1", "--threads", "1", "--queues", "default"],
        env,
        logs,
    )
    try:
        processes.wait_for_api(api)
        processes.wait_for_worker(worker)
        targets = {} if args.no_targets else _targets(api, district, args.requests)
        print("targets", targets, flush=True)

        if not reused:
            asyncio.run(_add_upload_village(url, 1_000_001, args.upload_rows, args.seed))
        rows = data.upload_rows(1_000_001, args.upload_rows, args.seed)
        uploads = []
        for file_format, month in zip(args.formats.split(","), UPLOAD_MONTHS, strict=False):
            content = data.as_xlsx(rows) if file_format == "xlsx" else data.as_csv(rows)
            first_day = date(int(month[:4]), int(month[5:]), 1)
            floor = asyncio.run(_floor(url, rows, first_day))
            ours = _upload(api, village, content, f"ledger.{file_format}", month)
            floor = min(floor, asyncio.run(_floor(url, rows, first_day)))  # before and after: the better of two
            upload = {
                "rows": args.upload_rows,
                "format": file_format,
                "file_bytes": len(content),
                "floor_seconds": round(floor, 2),
                **ours,
                "ratio": round(ours["committed_seconds"] / floor, 2),
            }
            print("upload", upload, flush=True)
            uploads.append(upload)
    finally:
        for process in (api, worker):
            processes.stop(process)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "labourers": args.labourers,
        **seeded,
        "targets": targets,
        "uploads": uploads,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()
