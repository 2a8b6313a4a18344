"""Peak memory of an XLSX export against its length: monitoring-api serves /households?format=xlsx (households and
a members sheet) for a village, a town and the whole district of a 100,000-household database; a fresh server process
per export, its peak resident set (VmHWM) read from /proc after the download.

    .venv/bin/python -m bench.exports.run
"""

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from python_calamine import CalamineWorkbook

from bench.registry import database, servers
from bench.registry.run import _tokens
from dixian_shared.auth.tokens import generate_key_pair

EXPORTS = {"village": "360702191200", "town": "360702191000", "district": None}


def _peak_kib(pid: int) -> tuple[int, int]:
    """(peak, current) resident set of the server process, in KiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmHWM"].split()[0]), int(fields["VmRSS"].split()[0])


def measure(url: str, keys: Path, logs: Path, region: str | None, token: str) -> dict[str, Any]:
    server = servers.start_real(url, keys, 1, logs, log_level="WARNING")
    try:
        servers.wait_until_answering(server, token, "/households?limit=1")
        before, _ = _peak_kib(server.process.pid)
        params = {"format": "xlsx", **({"region_code": region} if region else {})}
        started = time.perf_counter()
        with (
            tempfile.TemporaryFile() as out,
            httpx.Client(base_url=server.base_url, timeout=1800.0) as client,
            client.stream("GET", "/households", params=params, headers={"Authorization": f"Bearer {token}"}) as r,
        ):
            r.raise_for_status()
            for chunk in r.iter_bytes(1 << 20):
                out.write(chunk)
            seconds = time.perf_counter() - started
            size = out.tell()
            peak, _ = _peak_kib(server.process.pid)
            out.seek(0)
            book = CalamineWorkbook.from_filelike(out)
            households = len(book.get_sheet_by_name("农户").to_python()) - 1
            members = len(book.get_sheet_by_name("家庭成员").to_python()) - 1
    finally:
        servers.stop(server)
    return {
        "region": region or "district",
        "households": households,
        "members": members,
        "seconds": round(seconds, 1),
        "megabytes": round(size / 2**20, 1),
        "rss_idle_mib": round(before / 1024),
        "rss_peak_mib": round(peak / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="dixian_bench_exports")
    parser.add_argument("--households", type=int, default=10000, help="households per scale step (bench.generate)")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--output", type=Path, default=database.ROOT / "bench" / "results" / "exports.json")
    args = parser.parse_args()
    url = asyncio.run(
        database.prepare(
            args.admin_url, args.database, households=args.households, scale=args.scale, seed=1, fresh=args.fresh
        )
    )
    with tempfile.TemporaryDirectory() as folder:
        keys = Path(folder)
        generate_key_pair(keys / "private.pem", keys / "public.pem")
        token = _tokens(keys)["district"]
        results = [measure(url, keys, keys, region, token) for region in EXPORTS.values()]
    print(f"{'export':<14}{'households':>11}{'members':>10}{'seconds':>9}{'MiB':>7}{'RSS idle':>10}{'RSS peak':>10}")
    for r in results:
        print(
            f"{r['region']:<14}{r['households']:>11,}{r['members']:>10,}{r['seconds']:>9}{r['megabytes']:>7}"
            f"{r['rss_idle_mib']:>10}{r['rss_peak_mib']:>10}"
        )
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
