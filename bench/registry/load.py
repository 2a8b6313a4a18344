"""Load drivers: wrk (a Lua script cycling through a path list) when installed, else httpx with bounded concurrency.

Both send a fixed number of GETs from a list of paths with one bearer token, stop at a time cap, stay on loopback,
and report throughput and latency percentiles the same way.
"""

import asyncio
import itertools
import json
import math
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

LUA_SCRIPT = Path(__file__).with_name("paths.lua")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Stats:
    requests: int
    non_2xx: int
    socket_errors: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, float]:
        return {**asdict(self), "rps": round(self.rps, 1)}

    @classmethod
    def of(cls, latencies: list[float], non_2xx: int, socket_errors: int, seconds: float) -> "Stats":
        """From the latencies (seconds) a Python driver measured."""
        ordered = sorted(latencies)
        return cls(
            requests=len(ordered),
            non_2xx=non_2xx,
            socket_errors=socket_errors,
            seconds=seconds,
            p50_ms=1000 * percentile(ordered, 0.50),
            p90_ms=1000 * percentile(ordered, 0.90),
            p99_ms=1000 * percentile(ordered, 0.99),
            max_ms=1000 * (ordered[-1] if ordered else 0.0),
        )


def combine(rounds: list[Stats]) -> Stats:
    """Rounds of one measurement as one: requests, errors and seconds added up; p50 the median round's, p90, p99
    and max the worst round's (wrk reports percentiles, not the latencies they come from)."""
    p50s = sorted(r.p50_ms for r in rounds)
    return Stats(
        requests=sum(r.requests for r in rounds),
        non_2xx=sum(r.non_2xx for r in rounds),
        socket_errors=sum(r.socket_errors for r in rounds),
        seconds=sum(r.seconds for r in rounds),
        p50_ms=p50s[(len(p50s) - 1) // 2],
        p90_ms=max(r.p90_ms for r in rounds),
        p99_ms=max(r.p99_ms for r in rounds),
        max_ms=max(r.max_ms for r in rounds),
    )


def check_loopback(base_url: str) -> None:
    if urlsplit(base_url).hostname not in LOOPBACK:
        raise ValueError(f"the benchmark drives loopback servers only, not {base_url}")


def driver_available(name: str) -> bool:
    return name == "httpx" or shutil.which("wrk") is not None


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


async def drive_httpx(
    base_url: str, token: str, paths: list[str], *, concurrency: int, requests: int, time_cap: float
) -> Stats:
    check_loopback(base_url)
    latencies: list[float] = []
    failures = [0, 0]  # non-2xx, transport errors
    order = itertools.count()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=10.0) as client:
        started = time.perf_counter()
        deadline = started + time_cap

        async def user() -> None:
            while (number := next(order)) < requests and time.perf_counter() < deadline:
                sent = time.perf_counter()
                try:
                    response = await client.get(paths[number % len(paths)])
                    await response.aread()
                except httpx.HTTPError:
                    failures[1] += 1
                    continue
                latencies.append(time.perf_counter() - sent)
                if not 200 <= response.status_code < 300:
                    failures[0] += 1

        await asyncio.gather(*(user() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return Stats.of(latencies, failures[0], failures[1], seconds)


def drive_wrk(
    base_url: str, token: str, paths: list[str], *, concurrency: int, requests: int, time_cap: float
) -> Stats:
    check_loopback(base_url)
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
        path_file = handle.name
    try:
        command = [
            "wrk", "-t1", f"-c{concurrency}", f"-d{math.ceil(time_cap)}s", "--timeout", "10s",
            "-s", str(LUA_SCRIPT), base_url, "--", path_file, str(requests), token,
        ]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=time_cap + 60).stdout
    finally:
        Path(path_file).unlink(missing_ok=True)
    line = next(text for text in reversed(output.splitlines()) if text.startswith("{"))
    result = json.loads(line)
    return Stats(
        requests=result["requests"],
        non_2xx=result["non_2xx"],
        socket_errors=result["socket_errors"],
        seconds=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p90_ms=result["p90_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        max_ms=result["max_us"] / 1000,
    )


async def drive(
    driver: str, base_url: str, token: str, paths: list[str], *, concurrency: int, requests: int, time_cap: float
) -> Stats:
    if driver == "wrk":
        return await asyncio.to_thread(
            drive_wrk, base_url, token, paths, concurrency=concurrency, requests=requests, time_cap=time_cap
        )
    return await drive_httpx(base_url, token, paths, concurrency=concurrency, requests=requests, time_cap=time_cap)
