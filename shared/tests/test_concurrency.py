"""If-Match against a record's version: only a strong tag of the current version matches."""

import pytest

from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, PreconditionFailed


def test_the_current_strong_tag_matches() -> None:
    check_version('"3"', 3)
    check_version(' "3" ', 3)


@pytest.mark.parametrize("if_match", ['W/"3"', ' W/"3" ', 'W/"2"'])
def test_a_weak_tag_never_matches_even_of_the_current_version(if_match: str) -> None:
    # RFC 9110 §13.1.1: If-Match uses the strong comparison.
    with pytest.raises(PreconditionFailed) as raised:
        check_version(if_match, 3)
    assert raised.value.status == 412


def test_a_stale_strong_tag_fails_and_a_malformed_weak_one_is_still_malformed() -> None:
    with pytest.raises(PreconditionFailed):
        check_version('"2"', 3)
    with pytest.raises(InvalidField):
        check_version('W/"x"', 3)
