"""Hostile input on the registry's newer paths: If-Match with characters that only look like digits is an RFC 9457
problem naming the header, and nothing changes."""

from typing import Any

import httpx
import pytest

from conftest import VILLAGE
from monitoring_api.models import COMMON

from .test_measure_helpers import Sessions, Tokens, make_household


def _refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]], response.text


async def _state(client: httpx.AsyncClient, headers: dict[str, str], hid: int) -> dict[str, Any]:
    """What a hostile request must leave as it was: the household, its members and their versions."""
    response = await client.get(f"/households/{hid}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize("if_match", [b"\xb2", b'W/"\xb9"', b'"1\xb3"'])
async def test_an_if_match_of_characters_that_only_look_like_digits_is_refused(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, if_match: bytes
) -> None:
    hid = await make_household(monitoring, token_for, session_on(COMMON))
    village = token_for("village", VILLAGE)
    before = await _state(monitoring, village, hid)
    # Superscript digits are Latin-1, so a header can carry them; str.isdigit() takes them, int() does not.
    headers = {**village, "If-Match": if_match}
    response = await monitoring.patch(f"/households/{hid}", json={"address": "改"}, headers=headers)  # type: ignore[dict-item]
    _refused(response, "header.If-Match")
    assert await _state(monitoring, village, hid) == before
