"""The closed-loop driver: per service, `concurrency` tasks each send one request after another until the time or
the request cap runs out; latencies and outcomes recorded per service and operation. Loopback only."""

import asyncio
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench.load.mix import ServiceMix


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: str, ms: float) -> None:
        self.statuses[outcome] += 1
        self.latencies_ms.append(ms)

    def summary(self, seconds: float) -> dict[str, Any]:
        done = sorted(self.latencies_ms)
        errors = sum(n for outcome, n in self.statuses.items() if not outcome.startswith("2"))

        def pct(share: float) -> float:
            return round(done[min(len(done) - 1, int(share * len(done)))], 1) if done else 0.0

        return {
            "requests": len(done),
            "rps": round(len(done) / seconds, 1),
            "errors": errors,
            "error_rate": round(errors / len(done), 5) if done else 0.0,
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "outcomes": dict(self.statuses),
        }


def _loopback(url: str) -> None:
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"refusing to load {url}: loopback only")


async def seed(client: httpx.AsyncClient, mix: ServiceMix, count: int) -> None:
    """Some records to read before the clock starts."""
    rng = random.Random(0)
    for _ in range(count):
        op = mix.next(rng, write_share=1.0)
        response = await client.post(op.path, json=op.body)
        response.raise_for_status()
        mix.ids.append(int(response.json()["id"]))


async def drive_service(
    base_url: str, token: str, mix: ServiceMix, *, concurrency: int, seconds: float, max_requests: int,
    write_share: float, seed_value: int,
) -> dict[str, Any]:  # fmt: skip
    _loopback(base_url)
    per_op: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    sent = 0
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30.0, limits=limits) as client:
        await seed(client, mix, 20)
        began = time.monotonic()
        deadline = began + seconds

        async def worker(n: int) -> None:
            nonlocal sent
            rng = random.Random(seed_value * 1000 + n)
            while time.monotonic() < deadline and sent < max_requests:
                sent += 1
                op = mix.next(rng, write_share)
                started = time.perf_counter()
                try:
                    response = await client.request(op.method, op.path, json=op.body)
                    outcome = str(response.status_code)
                    if op.name == "create" and response.status_code == 201:
                        mix.ids.append(int(response.json()["id"]))
                except httpx.HTTPError as exc:
                    outcome = type(exc).__name__
                ms = (time.perf_counter() - started) * 1000
                per_op[op.name].add(outcome, ms)
                total.add(outcome, ms)

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        elapsed = time.monotonic() - began
    return {"all": total, "ops": dict(per_op), "seconds": elapsed}
