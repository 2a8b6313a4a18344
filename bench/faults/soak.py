"""`python -m bench.faults.soak --rounds N`: the fault tests of `./dev test`, run again and again (a soak).

Each round runs the process-killing, connection-terminating, Redis-stopping and several-process tests as one pytest
invocation (each test makes its own database, Redis and processes), and records per round whether every test
passed and how long it took; a summary goes to bench/results/faults.json. Never part of the test suite.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = [
    "worker/tests/test_killed_worker.py",
    "worker/tests/test_relay_and_worker.py",
    "worker/tests/test_several_processes.py",
    "worker/tests/test_webhook.py",
    "worker/tests/test_provincial_push.py",
    "tests/test_database_faults.py",
]


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.faults.soak")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "faults.json")
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("DIXIAN_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    env.setdefault("DIXIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    rounds = []
    for n in range(1, args.rounds + 1):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:logging", "-p", "no:cacheprovider", *TESTS],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = round(time.monotonic() - started, 1)
        summary = (result.stdout.strip().splitlines() or [""])[-1]
        rounds.append({"round": n, "passed": result.returncode == 0, "seconds": seconds, "summary": summary})
        print(f"round {n}: {'ok' if result.returncode == 0 else 'FAILED'} in {seconds} s — {summary}", flush=True)
        if result.returncode != 0:
            print(result.stdout[-20000:], flush=True)  # enough for every failure block of the round
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"tests": TESTS, "rounds": rounds}, indent=2, ensure_ascii=False))
    failed = [r["round"] for r in rounds if not r["passed"]]
    print(f"{len(rounds) - len(failed)} of {len(rounds)} rounds passed; failed rounds: {failed or 'none'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
