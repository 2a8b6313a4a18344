"""Start the two servers under test on loopback ports, wait until they answer, stop exactly the processes started."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.registry.database import BIN, ROOT, sqlalchemy_url


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(name: str, command: list[str], env: dict[str, str], port: int, log_dir: Path) -> Server:
    log = log_dir / f"{name}.log"
    with log.open("ab") as handle:
        # Its own process group, so stopping it also stops the uvicorn workers it spawned, and nothing else.
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Server(name, port, process, log)


def start_real(
    url: str, keys: Path, workers: int, log_dir: Path, *, pool_size: int = 10, log_level: str = "INFO"
) -> Server:
    """monitoring-api as deployed: its own CLI (uvicorn, JSON access log to the log file), outbox relay on."""
    port = free_port()
    env = dict(
        os.environ,
        MONITORING_POSTGRES__URL=sqlalchemy_url(url),
        MONITORING_AUTH__PRIVATE_KEY_FILE=str(keys / "private.pem"),
        MONITORING_AUTH__PUBLIC_KEY_FILE=str(keys / "public.pem"),
        MONITORING_LOG_LEVEL=log_level,
        # The bare app's pool ceiling, per worker: both servers wait for a connection alike, and the two together
        # stay within a shared PostgreSQL's max_connections (2 servers x 2 workers x 10 by default).
        MONITORING_POSTGRES__POOL_SIZE=str(pool_size),
        MONITORING_POSTGRES__MAX_OVERFLOW="0",
        # One token drives the whole load: the per-person rate limit (for people, not a load driver) is off.
        MONITORING_LIMITS__REQUESTS_PER_MINUTE="0",
    )
    command = [str(BIN / "monitoring-api"), "serve", "--port", str(port), "--workers", str(workers)]
    return _start("monitoring-api", command, env, port, log_dir)


def start_bare(url: str, keys: Path, workers: int, log_dir: Path, *, pool_size: int = 10) -> Server:
    port = free_port()
    env = dict(
        os.environ,
        BENCH_DATABASE_URL=url,
        BENCH_PUBLIC_KEY_FILE=str(keys / "public.pem"),
        BENCH_POOL_SIZE=str(pool_size),
    )
    command = [
        str(BIN / "uvicorn"), "bench.registry.bare_app:create_app", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    return _start("bare-fastapi-asyncpg", command, env, port, log_dir)


def _tail(log: Path, lines: int = 20) -> str:
    """The end of a server's log, for the error message (the log's folder is removed when the run ends)."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def wait_until_answering(server: Server, token: str, probe: str, seconds: float = 90.0) -> None:
    """Every worker is up once a burst of probes all succeed."""
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{_tail(server.log)}")
        try:
            with httpx.Client(base_url=server.base_url, headers=headers, timeout=5.0) as client:
                if all(client.get(probe).status_code == 200 for _ in range(20)):
                    return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{server.name} did not answer within {seconds:.0f}s:\n{_tail(server.log)}")


def stop(server: Server) -> None:
    group = server.process.pid  # the session leader's pid is the group id
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        server.process.wait(timeout=10)
