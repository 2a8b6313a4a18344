"""Accept between a list's JSON and its workbook: weights count, and q=0 refuses."""

import pytest

from dixian_shared.negotiation import choose
from dixian_shared.xlsx import MEDIA_TYPE as XLSX


@pytest.mark.parametrize(
    ("accept", "choice"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("application/json", "json"),
        (XLSX, "xlsx"),
        (f"application/json, {XLSX}", "xlsx"),
        (f"{XLSX};q=0", "json"),  # refused: a weight of 0 is "not acceptable"
        (f"{XLSX}; Q=0.000", "json"),
        (f"{XLSX};q=0, */*", "json"),
        (f"{XLSX};q=0.5, application/json", "json"),
        (f"{XLSX}, application/json;q=0.5", "xlsx"),
        (f"{XLSX.upper()}", "xlsx"),
        ("application/json;q=0, */*", "xlsx"),
        ("application/*", "json"),
        (f"{XLSX};q=0, application/json;q=0", None),
        ("text/html", None),
        ("*/*;q=0", None),
        ("text/html;q=0", "json"),  # only refusals: what is not refused is acceptable
        (f"{XLSX};q=abc", "json"),  # an unreadable weight: the element is skipped, no header left
        ("garbage", "json"),
    ],
)
def test_the_choice(accept: str | None, choice: str | None) -> None:
    assert choose(accept) == choice
