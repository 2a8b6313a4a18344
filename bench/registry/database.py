"""The benchmark's own database: created, migrated with the project's commands, filled by bench.generate, analysed."""

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REGION_FILE = ROOT / "deploy" / "regions.csv"


def database_url(admin_url: str, name: str) -> str:
    """The asyncpg-style URL of database `name` on the server of `admin_url`."""
    base, _, rest = admin_url.replace("postgresql+asyncpg://", "postgresql://", 1).rpartition("/")
    query = rest.partition("?")[2]
    return f"{base}/{name}" + (f"?{query}" if query else "")


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT, env=env)


async def _ensure_database(admin_url: str, name: str, fresh: bool) -> None:
    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        if fresh:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _households(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM monitoring.household"))
    finally:
        await conn.close()


async def _vacuum(url: str) -> None:
    # A steady-state registry has its visibility map set and statistics current; a fresh COPY has neither.
    conn = await asyncpg.connect(url)
    try:
        for table in ("household", "member", "household_income"):
            await conn.execute(f"VACUUM (ANALYZE) monitoring.{table}")
    finally:
        await conn.close()


async def prepare(admin_url: str, name: str, *, households: int, scale: int, seed: int, fresh: bool) -> str:
    """Create and migrate the database; generate the district unless it already holds exactly that many households."""
    await _ensure_database(admin_url, name, fresh)
    url = database_url(admin_url, name)
    env = dict(os.environ, MONITORING_POSTGRES__URL=sqlalchemy_url(url))
    _run([str(BIN / "dixian-admin"), "--database-url", sqlalchemy_url(url), "migrate-identity"])
    _run([str(BIN / "monitoring-api"), "migrate"], env)
    regions = ["--file", str(REGION_FILE), "--schemas", "monitoring"]
    _run([str(BIN / "dixian-admin"), "--database-url", sqlalchemy_url(url), "load-regions", *regions])
    wanted = households * scale
    have = await _households(url)
    if have == wanted:
        print(f"reusing the {have:,} households already in {name} (pass --fresh to regenerate)", flush=True)
        return url
    started = time.perf_counter()
    _run([
        str(BIN / "python"), "-m", "bench.generate", "--database-url", url, "--households", str(households),
        "--scale", str(scale), "--seed", str(seed), "--replace",
    ])  # fmt: skip
    await _vacuum(url)
    print(f"database ready in {time.perf_counter() - started:.0f}s", flush=True)
    return url


async def counts(url: str) -> dict[str, Any]:
    conn = await asyncpg.connect(url)
    try:
        return {
            "households": int(await conn.fetchval("SELECT count(*) FROM monitoring.household")),
            "people": int(await conn.fetchval("SELECT count(*) FROM monitoring.member WHERE status = '正常'")),
            "postgres": await conn.fetchval("SHOW server_version"),
        }
    finally:
        await conn.close()
