"""Token verification: the cache never outlives a token, and tampered or foreign tokens are refused."""

import asyncio
from pathlib import Path

import pytest

from dixian_shared.auth.tokens import TokenIssuer, TokenVerifier, generate_key_pair
from dixian_shared.errors import Unauthorized
from dixian_shared.settings import AuthSettings


@pytest.fixture
def settings(tmp_path: Path) -> AuthSettings:
    generate_key_pair(tmp_path / "private.pem", tmp_path / "public.pem")
    return AuthSettings(
        # exp is whole seconds from a truncated now: a 2 s token lives between 1 and 2 s, long enough to verify twice.
        private_key_file=tmp_path / "private.pem",
        public_key_file=tmp_path / "public.pem",
        token_ttl_seconds=2,
    )


async def test_a_cached_token_is_refused_once_it_expires(settings: AuthSettings) -> None:
    token, _ = TokenIssuer(settings).issue(subject="5", role="village", region_code="360702191200", name="甲")
    verifier = TokenVerifier(settings)
    assert (await verifier.verify(token)).subject == "user:5"
    assert (await verifier.verify(token)).region_code == "360702191200"  # from the cache
    await asyncio.sleep(2.1)
    with pytest.raises(Unauthorized):
        await verifier.verify(token)


async def test_a_token_signed_by_another_key_or_for_another_audience_is_refused(
    settings: AuthSettings, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    generate_key_pair(other / "private.pem", other / "public.pem")
    foreign = AuthSettings(private_key_file=other / "private.pem", public_key_file=other / "public.pem")
    token, _ = TokenIssuer(foreign).issue(subject="5", role="district", region_code="360702000000", name="")
    with pytest.raises(Unauthorized):
        await TokenVerifier(settings).verify(token)
    elsewhere = settings.model_copy(update={"audience": "another-system"})
    token, _ = TokenIssuer(elsewhere).issue(subject="5", role="district", region_code="360702000000", name="")
    with pytest.raises(Unauthorized):
        await TokenVerifier(settings).verify(token)
