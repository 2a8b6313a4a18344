"""Real processes for fault and multi-process tests: an API server, a `dramatiq` worker, a scheduler.

Each is started in a process group of its own, so a test can kill -9 exactly what it started (the dramatiq master
and its worker children) and nothing else. Output goes to a log file the test can show when something fails.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent


@dataclass
class Managed:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> "Managed":
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group: no handler, no clean-up, whatever was in flight is simply gone."""
        self._signal(signal.SIGKILL)

    def stop(self, timeout: float = 20) -> None:
        self._signal(signal.SIGTERM, timeout)

    def _signal(self, sig: signal.Signals, timeout: float = 20) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        self.process = None

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def wait_for(condition: Callable[[], bool], seconds: float, what: str | Callable[[], str] = "condition") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise TimeoutError(f"not within {seconds} s: {what() if callable(what) else what}")


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def api(name: str, command: str, port: int, env: dict[str, str], logs: Path) -> Managed:
    """`<service> serve --port N` as deployed (outbox relay on)."""
    return Managed(name, [str(BIN / command), "serve", "--port", str(port)], env, logs / f"{name}.log")


def dramatiq_worker(name: str, env: dict[str, str], logs: Path, *queues: str, threads: int = 2) -> Managed:
    """`dramatiq dixian_worker.actors` with one worker process, as `./dev up` starts it (100 ms fetch timeout)."""
    command = [str(BIN / "dramatiq"), "dixian_worker.actors", "--processes", "1", "--threads", str(threads)]
    if queues:
        command += ["--queues", *queues]
    return Managed(name, command, {**env, "dramatiq_worker_timeout": "100"}, logs / f"{name}.log")


def scheduler(name: str, env: dict[str, str], logs: Path) -> Managed:
    return Managed(name, [str(BIN / "dixian-scheduler")], env, logs / f"{name}.log")


def service_env(database_url: str, redis_url: str, public_key: Path, private_key: Path) -> dict[str, str]:
    """Every service, the worker and the scheduler on one database and one Redis; a killed worker's messages come
    back after 2 s instead of a minute, and the broker's maintenance runs on every command so they do at once."""
    env = dict(os.environ)
    for prefix in ("MONITORING", "FUNDS", "EMPLOYMENT", "WORKER"):
        env[f"{prefix}_POSTGRES__URL"] = database_url
        env[f"{prefix}_REDIS__URL"] = redis_url
        env[f"{prefix}_AUTH__PUBLIC_KEY_FILE"] = str(public_key)
    env["MONITORING_AUTH__PRIVATE_KEY_FILE"] = str(private_key)
    env["WORKER_HEARTBEAT_TIMEOUT_MS"] = "2000"
    env["WORKER_MAINTENANCE_CHANCE"] = "1000000"
    return env
