"""The compose file a district's IT staff run: read, since Docker does not run on the development machines."""

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
ONE_SHOT = {"migrate"}
API_WORKERS_FLAG = "--workers"


def _environment(service: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in (service.get("environment") or {}).items()}


def test_every_long_running_service_has_a_health_check() -> None:
    missing = [name for name, service in SERVICES.items() if name not in ONE_SHOT and "healthcheck" not in service]
    assert missing == []


def test_no_password_is_written_in_the_compose_file() -> None:
    for name, service in SERVICES.items():
        for key, value in _environment(service).items():
            assert "PASSWORD" not in key, f"{name} sets {key} inline"
            assert not re.search(r"://[^:/@]+:[^@]+@", value), f"{name}'s {key} carries a password"
    assert (ROOT / "deploy" / "dixian.env.example").exists()


def test_keys_come_from_the_env_file() -> None:
    """A key set under `environment` overrides deploy/dixian.env, and `${...}` there reads the shell (or a `.env`
    beside the compose file), never deploy/dixian.env: either would leave the worker without the key put there."""
    example = (ROOT / "deploy" / "dixian.env.example").read_text()
    for name, service in SERVICES.items():
        for key, value in _environment(service).items():
            assert "API_KEY" not in key and "SECRET" not in key, f"{name} sets {key} in the compose file"
            assert "${" not in value, f"{name}'s {key} is interpolated from the shell, not deploy/dixian.env"
    for key in ("WORKER_MONITORING__API_KEY", "EMPLOYMENT_MONITORING__API_KEY", "FUNDS_MONITORING__API_KEY"):
        assert re.search(rf"^{key}=", example, re.MULTILINE), f"deploy/dixian.env.example does not name {key}"


def test_postgres_has_shared_memory_for_parallel_queries() -> None:
    assert SERVICES["postgres"]["shm_size"] in ("1gb", "2gb", "4gb")


def test_connection_budget_fits_max_connections() -> None:
    command = " ".join(SERVICES["postgres"]["command"])
    max_connections = int(re.search(r"max_connections=(\d+)", command).group(1))  # type: ignore[union-attr]
    used = 0
    for name, service in SERVICES.items():
        if name in ("postgres", "redis", "migrate"):
            continue
        env = _environment(service)
        prefix = {"monitoring-api": "MONITORING", "funds-api": "FUNDS", "employment-api": "EMPLOYMENT"}.get(
            name, "WORKER"
        )
        per_engine = int(env.get(f"{prefix}_POSTGRES__POOL_SIZE", 10)) + int(
            env.get(f"{prefix}_POSTGRES__MAX_OVERFLOW", 10)
        )
        command_line = service["command"]
        if name.endswith("-api"):
            workers = int(command_line[command_line.index(API_WORKERS_FLAG) + 1])
            used += workers * (per_engine + 1)  # the outbox relay's LISTEN connection
        elif name == "worker":
            processes = int(command_line[command_line.index("--processes") + 1])
            used += processes * 2 * per_engine  # the worker's own engine and the monitoring jobs' engine
        else:
            used += per_engine
    assert used + 10 <= max_connections, f"{used} connections (+10 for admin) exceed max_connections={max_connections}"


def test_images_are_pinned() -> None:
    for name in ("postgres", "redis"):
        assert re.search(r":\d+\.\d+", SERVICES[name]["image"]), f"{name} image is not pinned to a minor version"
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert re.search(r"python:\d+\.\d+\.\d+-slim", dockerfile)
    assert dockerfile.count("FROM ") >= 2, "the Dockerfile builds in one stage"
    assert (ROOT / ".dockerignore").exists()
