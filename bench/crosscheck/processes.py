"""The API and the worker as deployed (their own commands), on loopback and a Redis database of their own; their
peak memory read from /proc (VmHWM) for every process of their group."""

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.registry.database import BIN, ROOT, sqlalchemy_url
from bench.registry.servers import free_port


@dataclass
class Process:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _env(url: str, redis_url: str, keys: Path) -> dict[str, str]:
    return dict(
        os.environ,
        MONITORING_POSTGRES__URL=sqlalchemy_url(url),
        MONITORING_REDIS__URL=redis_url,
        MONITORING_AUTH__PRIVATE_KEY_FILE=str(keys / "private.pem"),
        MONITORING_AUTH__PUBLIC_KEY_FILE=str(keys / "public.pem"),
        WORKER_REDIS__URL=redis_url,
        WORKER_POSTGRES__URL=sqlalchemy_url(url),
    )


def _spawn(name: str, command: list[str], env: dict[str, str], log_dir: Path, port: int = 0) -> Process:
    log = log_dir / f"{name}.log"
    with log.open("ab") as handle:
        # Its own session: stopping it stops the children it forked (uvicorn and dramatiq workers), nothing else.
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(name, process, log, port)


def start_api(url: str, redis_url: str, keys: Path, log_dir: Path, workers: int = 1) -> Process:
    port = free_port()
    command = [str(BIN / "monitoring-api"), "serve", "--port", str(port), "--workers", str(workers)]
    return _spawn("monitoring-api", command, _env(url, redis_url, keys), log_dir, port)


def start_worker(url: str, redis_url: str, keys: Path, log_dir: Path) -> Process:
    command = [
        str(BIN / "dramatiq"), "dixian_worker.actors", "--processes", "1", "--threads", "1", "--queues", "crosscheck",
    ]  # fmt: skip
    return _spawn("worker", command, {**_env(url, redis_url, keys), "dramatiq_worker_timeout": "100"}, log_dir)


def wait_for_api(api: Process, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if api.process.poll() is not None:
            raise RuntimeError(f"{api.name} exited; see {api.log}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{api.base_url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{api.name} did not answer; see {api.log}")


def wait_for_worker(worker: Process, seconds: float = 60.0) -> None:
    """Dramatiq logs that its worker process is ready once the actors are imported and the consumer runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise RuntimeError(f"worker exited; see {worker.log}")
        if b"is ready for action" in worker.log.read_bytes():
            return
        time.sleep(0.3)
    raise RuntimeError(f"worker did not start; see {worker.log}")


def _group_pids(group: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            # Field 5 of /proc/PID/stat is the process group; the command name before it may contain spaces.
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) == group:
                pids.append(int(entry.name))
    return pids


def memory_mib(process: Process) -> dict[str, float]:
    """Peak (VmHWM) and current (VmRSS) resident memory of the largest process of the group, in MiB."""
    best = {"peak_mib": 0.0, "rss_mib": 0.0}
    for pid in _group_pids(process.process.pid):
        with contextlib.suppress(OSError):
            status = dict(
                line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
            )
            peak = int(status["VmHWM"].split()[0]) / 1024
            if peak > best["peak_mib"]:
                best = {"peak_mib": round(peak, 1), "rss_mib": round(int(status["VmRSS"].split()[0]) / 1024, 1)}
    return best


def stop(process: Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.process.pid, signal.SIGTERM)
    try:
        process.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.process.pid, signal.SIGKILL)
        process.process.wait(timeout=10)
