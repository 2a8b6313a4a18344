"""Region codes: levels, prefixes, parents and the scoping range."""

import pytest

from dixian_shared import regioncode
from dixian_shared.regioncode import RegionLevel


@pytest.mark.parametrize(
    ("code", "level", "prefix", "parent"),
    [
        ("360702000000", RegionLevel.district, "360702", "360700000000"),
        ("360702191000", RegionLevel.town, "360702191", "360702000000"),
        ("360702191200", RegionLevel.village, "360702191200", "360702191000"),
        ("360702400001", RegionLevel.village, "360702400001", "360702400000"),
    ],
)
def test_level_prefix_and_parent(code: str, level: RegionLevel, prefix: str, parent: str) -> None:
    assert regioncode.level(code) == level
    assert regioncode.prefix(code) == prefix
    assert regioncode.parent(code) == parent


def test_contains_follows_the_prefix() -> None:
    assert regioncode.contains("360702191000", "360702191200")
    assert not regioncode.contains("360702191000", "360702192200")
    assert not regioncode.contains("360702191200", "360702191201")


@pytest.mark.parametrize("code", ["36070219120", "3607021912000", "36070219120a"])
def test_malformed_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError, match="12 digits"):
        regioncode.validate(code)
