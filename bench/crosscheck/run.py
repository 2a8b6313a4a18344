"""python -m bench.crosscheck.run: a million-row medical-insurance enrolment batch against a million-person registry,
from HTTP upload to committed discrepancies, beside the raw floor (psql COPY + the same anti-join) of the same run.

Never part of the test suite. See bench/crosscheck/README.md.
"""

import argparse
import asyncio
import json
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.crosscheck import data, floor, processes
from bench.registry import database
from dixian_shared.auth.tokens import generate_key_pair

RESULTS = database.ROOT / "bench" / "results" / "crosscheck.json"
DATA = database.ROOT / "bench" / "data" / "crosscheck"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.crosscheck.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("DIXIAN_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--database", default="dixian_bench_crosscheck")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7", help="a Redis database of its own")
    parser.add_argument("--households", type=int, default=30_000)
    parser.add_argument("--scale", type=int, default=10, help="10: 300,000 households, about a million people")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the enrolment batch")
    parser.add_argument("--missing", type=float, default=0.05, help="share of registry people left off the roll")
    parser.add_argument("--parts", type=int, default=1, help="parts uploaded side by side (and API workers)")
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the benchmark database")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args()


def _chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(size):
            yield block


def _upload(api: processes.Process, key: str, batch_id: int, number: int, path: Path) -> dict[str, Any]:
    with httpx.Client(base_url=api.base_url, headers={"X-API-Key": key}, timeout=3600) as client:
        response = client.put(
            f"/batches/{batch_id}/parts/{number}",
            content=_chunks(path),
            headers={"Content-Type": "text/csv; charset=utf-8"},
        )
        return response.raise_for_status().json()  # type: ignore[no-any-return]


def _push(api: processes.Process, key: str, parts: list[Path]) -> dict[str, Any]:
    """Open, upload the parts side by side (each streamed), close, then wait for the job: the client's clock."""
    headers = {"X-API-Key": key}
    timings: dict[str, Any] = {}
    with httpx.Client(base_url=api.base_url, headers=headers, timeout=3600) as client:
        started = time.perf_counter()
        body = {"data_type": "medical_enrolment", "period": "2024-06", "department_batch_id": f"bench-{time.time_ns()}"}
        batch = client.post("/batches", json=body).raise_for_status().json()
        with ThreadPoolExecutor(len(parts)) as pool:
            uploads = [pool.submit(_upload, api, key, batch["id"], n, p) for n, p in enumerate(parts, start=1)]
            received = [u.result() for u in uploads]
        part = {k: sum(r[k] for r in received) for k in ("rows_received", "rows_accepted", "rows_rejected")}
        timings["upload_s"] = time.perf_counter() - started
        job = client.post(f"/batches/{batch['id']}/close").raise_for_status().json()
        closed = time.perf_counter()
        while job["state"] not in ("已完成", "失败"):
            time.sleep(0.05)
            job = client.get(f"/crosscheck-jobs/{job['id']}").raise_for_status().json()
        finished = time.perf_counter()
    if job["state"] != "已完成":
        raise RuntimeError(f"the job failed: {job['error']}")
    timings |= {"close_to_done_s": finished - closed, "total_s": finished - started}
    job_started = datetime.fromisoformat(job["started_at"])
    job_finished = datetime.fromisoformat(job["finished_at"])
    timings["job_in_worker_s"] = (job_finished - job_started).total_seconds()
    return {"timings": timings, "part": part, "job": job, "batch_id": batch["id"]}


async def _discrepancies(url: str, batch_id: int) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(
            await conn.fetchval("SELECT count(*) FROM monitoring.sector_discrepancy WHERE last_batch_id = $1", batch_id)
        )
    finally:
        await conn.close()


def _machine() -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=database.ROOT)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "commit": commit.stdout.strip()}


def _report(result: dict[str, Any]) -> str:
    ours, floors = result["ours"]["timings"], result["floor"]
    best = min(f["total_s"] for f in floors)
    lines = [
        f"registry: {result['registry']['people']:,} living people; batch: {result['input']['rows']:,} rows "
        f"({result['input']['bytes'] / 2**20:.0f} MiB), {result['ours']['part']['rows_accepted']:,} accepted",
        f"discrepancies committed: {result['discrepancies']:,} (the floor's anti-join found {floors[0]['findings']:,})",
        "",
        "| measure | seconds |",
        "|---|---:|",
        *[
            f"| floor run {i + 1}: psql \\copy {f['copy_s']:.2f} s + anti-join {f['anti_join_s']:.2f} s | "
            f"{f['total_s']:.2f} |"
            for i, f in enumerate(floors)
        ],
        f"| ours: HTTP upload (open + {result['parts']} streamed part(s) side by side, staged and validated) "
        f"| {ours['upload_s']:.2f} |",
        f"| ours: close → job 已完成 (relay, worker pick-up, comparison in {ours['job_in_worker_s']:.2f} s) "
        f"| {ours['close_to_done_s']:.2f} |",
        f"| **ours: upload to discrepancies committed** | **{ours['total_s']:.2f}** |",
        f"| **ratio to the best floor** | **{ours['total_s'] / best:.2f}×** |",
        "",
        f"peak memory (VmHWM): API {result['memory']['api']['peak_mib']} MiB, "
        f"worker {result['memory']['worker']['peak_mib']} MiB",
    ]
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    url = asyncio.run(
        database.prepare(
            args.admin_url,
            args.database,
            households=args.households,
            scale=args.scale,
            seed=args.seed,
            fresh=args.fresh,
        )
    )
    registry = asyncio.run(database.counts(url))
    key = asyncio.run(data.reset(url))
    path = DATA / f"medical_enrolment_{args.rows}.csv"
    made = asyncio.run(data.write_enrolment(url, path, args.rows, args.missing, args.seed))
    print(f"enrolment file {path} ({path.stat().st_size / 2**20:.0f} MiB): {made}", flush=True)

    floors = [floor.measure(url, path)]
    print(f"floor: {floors[0]}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        keys, logs = Path(folder), Path(folder)
        generate_key_pair(keys / "private.pem", keys / "public.pem")
        api = processes.start_api(url, args.redis_url, keys, logs, workers=args.parts)
        worker = processes.start_worker(url, args.redis_url, keys, logs)
        try:
            processes.wait_for_api(api)
            processes.wait_for_worker(worker)
            idle = {"api": processes.memory_mib(api), "worker": processes.memory_mib(worker)}
            ours = _push(api, key, data.split(path, args.parts))
            memory = {"api": processes.memory_mib(api), "worker": processes.memory_mib(worker), "idle": idle}
        finally:
            processes.stop(api)
            processes.stop(worker)
    print(f"ours: {ours['timings']}", flush=True)
    floors.append(floor.measure(url, path))
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "registry": registry,
        "input": {**made, "bytes": path.stat().st_size},
        "parts": args.parts,
        "floor": floors,
        "ours": ours,
        "discrepancies": asyncio.run(_discrepancies(url, ours["batch_id"])),
        "memory": memory,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
    print()
    print(_report(result))
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
