"""Schemathesis fuzzes every service's OpenAPI, authenticated, against real servers: no 5xx, responses match the schema;
a stateful run follows links from what a call made to the calls that use it; ID numbers never reach the logs.

Every endpoint added later is fuzzed too. The servers run in subprocesses over a database of their own, so the
committed data of the fuzz never meets the other tests.
"""

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dixian_shared import idnumber
from dixian_shared.admin import main as admin
from dixian_shared.settings import AuthSettings
from dixian_shared.testing.plugin import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVICES = {"monitoring": "monitoring-api", "funds": "funds-api", "employment": "employment-api"}
MAX_EXAMPLES = int(os.environ.get("DIXIAN_FUZZ_EXAMPLES", "8"))
STATEFUL_EXAMPLES = int(os.environ.get("DIXIAN_FUZZ_STATEFUL_EXAMPLES", "100"))


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def servers(
    migrated_database: str, redis_url: str, auth_settings: AuthSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    database = migrated_database + "_fuzz"
    maintenance = migrated_database.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(maintenance.replace("+asyncpg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database.rsplit("/", 1)[1]}"')
    env = dict(os.environ)
    for prefix in ("MONITORING", "FUNDS", "EMPLOYMENT", "WORKER"):
        env[f"{prefix}_POSTGRES__URL"] = database
        env[f"{prefix}_REDIS__URL"] = redis_url
        env[f"{prefix}_AUTH__PUBLIC_KEY_FILE"] = str(auth_settings.public_key_file)
        env[f"{prefix}_OUTBOX__RELAY_ENABLED"] = "false"
        env[f"{prefix}_LIMITS__REQUESTS_PER_MINUTE"] = "0"  # the fuzzer is one token sending thousands of requests
    env["MONITORING_AUTH__PRIVATE_KEY_FILE"] = str(auth_settings.private_key_file)
    admin(["--database-url", database, "migrate-identity"])
    for command in SERVICES.values():
        subprocess.run([BIN / command, "migrate"], env=env, check=True)
    subprocess.run([BIN / "dixian-worker-migrate"], env=env, check=True)  # load-regions fills worker.region too
    admin(["--database-url", database, "load-regions", "--file", str(ROOT / "deploy" / "regions.csv")])

    logs = tmp_path_factory.mktemp("fuzz-logs")
    ports = {name: free_port() for name in SERVICES}
    # funds-api reads borrowers from monitoring-api's registry with a service key, as deployed.
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        admin(
            [
                "--database-url",
                database,
                "create-api-key",
                "--name",
                "funds-api",
                "--role",
                "service",
                "--region",
                "360702000000",
                "--scopes",
                "registry.read",
            ]
        )
    env["FUNDS_MONITORING__URL"] = f"http://127.0.0.1:{ports['monitoring']}"
    env["FUNDS_MONITORING__API_KEY"] = printed.getvalue().strip()
    # employment-api's roster reads the same registry with the same scope.
    env["EMPLOYMENT_MONITORING__URL"] = env["FUNDS_MONITORING__URL"]
    env["EMPLOYMENT_MONITORING__API_KEY"] = env["FUNDS_MONITORING__API_KEY"]
    processes = [
        subprocess.Popen(
            [BIN / command, "serve", "--port", str(ports[name])],
            env=env,
            stdout=(logs / f"{name}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        for name, command in SERVICES.items()
    ]
    try:
        deadline = time.monotonic() + 60
        while not all(_ready(port) for port in ports.values()):
            if time.monotonic() > deadline:
                pytest.fail(f"services did not start; logs in {logs}")
            time.sleep(0.3)
        yield {**ports, "logs": logs}  # type: ignore[dict-item]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        with psycopg.connect(maintenance.replace("+asyncpg", ""), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.mark.parametrize("service", list(SERVICES))
def test_openapi_fuzz_finds_no_server_error(service: str, servers: dict[str, Any], token_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    token = token_for("district", "360702000000")["Authorization"]
    result = subprocess.run(
        [
            BIN / "schemathesis",
            "run",
            f"http://127.0.0.1:{servers[service]}/openapi.json",
            "--checks",
            "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            "20241",
            "--header",
            f"Authorization: {token}",
            "--request-timeout",
            "30",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    server_errors = [
        line for line in (servers["logs"] / f"{service}.log").read_text().splitlines() if '"level": "ERROR"' in line
    ]
    assert result.returncode == 0, "\n".join([result.stdout[-20000:], result.stderr[-5000:], *server_errors[-5:]])


@pytest.mark.parametrize("service", list(SERVICES))
def test_stateful_fuzz_follows_links(service: str, servers: dict[str, Any], token_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The stateful phase chains calls along the links schemathesis infers from the schema (a POST's response to
    the GET/PATCH/POST of what it made), with bodies naming real places and valid ID numbers (fuzz_hooks.py), so the
    calls reach records that exist: no server error, and links are actually followed."""
    token = token_for("district", "360702000000")["Authorization"]
    env = dict(os.environ, SCHEMATHESIS_HOOKS="fuzz_hooks", PYTHONPATH=str(ROOT / "tests"))
    result = subprocess.run(
        [
            BIN / "schemathesis",
            "run",
            f"http://127.0.0.1:{servers[service]}/openapi.json",
            "--phases",
            "stateful",
            "--checks",
            "not_a_server_error,use_after_free,ensure_resource_availability",
            "--max-examples",
            str(STATEFUL_EXAMPLES),
            "--seed",
            "20241",
            "--header",
            f"Authorization: {token}",
            "--request-timeout",
            "30",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        cwd=ROOT / "tests",
    )
    output = result.stdout[-20000:] + result.stderr[-5000:]
    assert result.returncode == 0, output
    covered = re.search(r"API Links:\s+(\d+) covered", result.stdout)
    assert covered is not None and int(covered.group(1)) > 0, output


def test_id_numbers_never_reach_the_logs(servers: dict[str, Any], token_for) -> None:  # type: ignore[no-untyped-def]
    """Requests carrying ID numbers in the path, the query and the body (accepted, refused, duplicated) leave them
    masked in every log line of every service, access log and errors alike."""
    headers = {**token_for("district", "360702000000"), "Content-Type": "application/json"}
    numbers = [idnumber.make(f"36070219750607{n:03d}") for n in range(4)]
    member = {"id_number": numbers[0], "name": "张三", "relation": "户主", "labour_skill": "普通劳动力"}
    household = {"region_code": "360702191200", "head_name": "张三", "category": "脱贫户", "members": [member]}

    def call(service: str, method: str, path: str, body: object = None) -> int:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{servers[service]}{path}", data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    assert call("monitoring", "POST", "/households", household) == 201
    assert call("monitoring", "POST", "/households", household) in (409, 422)  # the same person again
    assert call("monitoring", "GET", f"/service/people/{numbers[0]}") == 200
    assert call("monitoring", "GET", f"/service/people/{numbers[1]}") == 404
    assert call("monitoring", "GET", f"/households?id_number={numbers[2]}") == 200
    bad = {**household, "members": [{**member, "id_number": numbers[3][:-1] + "0"}]}
    assert call("monitoring", "POST", "/households", bad) == 422
    for service in ("funds", "employment"):
        call(service, "GET", f"/labourers?id_number={numbers[2]}")
    time.sleep(0.5)  # let the servers flush their access lines

    logs = {path.name: path.read_text() for path in servers["logs"].iterdir()}
    assert numbers[0][:6] + "*" * 8 + numbers[0][-4:] in logs["monitoring.log"]  # the request was logged, masked
    found = [(name, n) for name, text in logs.items() for n in [*numbers, numbers[3][:-1] + "0"] if n in text]
    assert not found, f"ID numbers in the logs: {found}"
