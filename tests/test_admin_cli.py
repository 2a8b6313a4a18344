"""dixian-admin and ./dev honour the database URL of the environment; signing keys are made once and then kept."""

import asyncio
import importlib.util
import uuid
from pathlib import Path
from types import ModuleType

import psycopg
import pytest

from dixian_shared import admin
from dixian_shared.auth.tokens import TokenIssuer, TokenVerifier
from dixian_shared.settings import AuthSettings

ROOT = Path(__file__).resolve().parent.parent
NOWHERE = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"


def _sync(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def test_dixian_admin_writes_to_the_database_named_by_the_environment(
    migrated_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIXIAN_DATABASE_URL", migrated_database)
    monkeypatch.setattr(admin, "DEFAULT_DATABASE_URL", NOWHERE)  # the built-in default must not be what is used
    username = f"env-{uuid.uuid4().hex[:8]}"
    admin.main(["create-user", "--username", username, "--password", "pw-123456", "--role", "village",
                "--region", "360702191200"])  # fmt: skip
    with psycopg.connect(_sync(migrated_database), autocommit=True) as conn:
        try:
            row = conn.execute("SELECT role FROM identity.user_account WHERE username = %s", (username,)).fetchone()
            assert row == ("village",)
        finally:
            conn.execute("DELETE FROM identity.user_account WHERE username = %s", (username,))


def test_an_explicit_database_url_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIXIAN_DATABASE_URL", NOWHERE)
    seen: list[str] = []
    monkeypatch.setattr(admin, "upgrade", lambda location, url, schema: seen.append(url))
    admin.main(["--database-url", "postgresql+asyncpg://postgres@127.0.0.1:5432/chosen", "migrate-identity"])
    assert seen == ["postgresql+asyncpg://postgres@127.0.0.1:5432/chosen"]


def test_signing_keys_are_made_once_and_kept(tmp_path: Path) -> None:
    private, public = tmp_path / "private.pem", tmp_path / "public.pem"
    command = ["generate-signing-keys", "--private", str(private), "--public", str(public)]
    admin.main(command)
    first = (private.read_bytes(), public.read_bytes())
    token, _ = TokenIssuer(AuthSettings(private_key_file=private)).issue(
        subject="1", role="village", region_code="360702191200", name="x"
    )
    admin.main(command)
    assert (private.read_bytes(), public.read_bytes()) == first

    public.unlink()  # a lost public key is made again from the private key, not a new pair
    admin.main(command)
    assert private.read_bytes() == first[0]
    assert public.read_bytes() == first[1]
    # A token issued before the reruns still verifies: the pair is the same.
    principal = asyncio.run(TokenVerifier(AuthSettings(public_key_file=public)).verify(token))
    assert principal.subject == "user:1"


def _devctl() -> ModuleType:
    spec = importlib.util.spec_from_file_location("devctl", ROOT / "deploy" / "devctl.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_uses_the_database_named_in_dixian_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    devctl = _devctl()
    monkeypatch.setenv("DIXIAN_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/district_a")
    monkeypatch.setenv("DIXIAN_REDIS_URL", "redis://127.0.0.1:6379/3")
    infra = devctl.resolve()
    assert infra.database_url() == "postgresql+asyncpg://postgres@127.0.0.1:5432/district_a"
    assert infra.admin_url == "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def test_dev_migrate_keeps_existing_signing_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    devctl = _devctl()
    private, public = tmp_path / "private.pem", tmp_path / "public.pem"
    admin.main(["generate-signing-keys", "--private", str(private), "--public", str(public)])
    before = (private.read_bytes(), public.read_bytes())
    devctl.ensure_signing_keys(tmp_path)
    devctl.ensure_signing_keys(tmp_path)
    assert (private.read_bytes(), public.read_bytes()) == before
