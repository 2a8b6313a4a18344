"""Which of JSON and an XLSX workbook a list answers, by the client's Accept header (RFC 9110 §12.5.1).

A weight of 0 means "not acceptable": `application/vnd…sheet;q=0` refuses the workbook, it does not ask for it.
"""

from typing import Literal

from dixian_shared import xlsx

JSON_MEDIA_TYPE = "application/json"
Choice = Literal["json", "xlsx"]


def media_ranges(accept: str) -> list[tuple[str, float]]:
    """The header's media ranges with their weights; an element whose weight is not a number in 0–1 is skipped."""
    ranges: list[tuple[str, float]] = []
    for element in accept.split(","):
        media, *params = (part.strip() for part in element.split(";"))
        if media.count("/") != 1:
            continue
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = -1.0
        if 0.0 <= weight <= 1.0:
            ranges.append((media.lower(), weight))
    return ranges


def quality(media_type: str, ranges: list[tuple[str, float]]) -> tuple[float | None, bool]:
    """The weight the most specific matching range gives `media_type` (None: no range matches it), and whether that
    range names it exactly."""
    kind = media_type.split("/")[0] + "/*"
    for candidate in (media_type, kind, "*/*"):
        weights = [weight for media, weight in ranges if media == candidate]
        if weights:
            return max(weights), candidate == media_type
    return None, False


def choose(accept: str | None) -> Choice | None:
    """JSON unless the client names the workbook and weighs it no lower than JSON (or accepts only the workbook);
    None when it accepts neither. No Accept header, or none that parses, accepts anything: JSON. A header that only
    refuses (every weight 0) accepts whatever it does not refuse, so `…sheet;q=0` alone is answered with JSON."""
    ranges = media_ranges(accept or "")
    if not ranges:
        return "json"
    unnamed = 0.0 if any(weight > 0 for _, weight in ranges) else 1.0
    workbook, named = quality(xlsx.MEDIA_TYPE, ranges)
    json, _ = quality(JSON_MEDIA_TYPE, ranges)
    workbook = unnamed if workbook is None else workbook
    json = unnamed if json is None else json
    if workbook > 0 and ((named and workbook >= json) or json == 0):
        return "xlsx"
    return "json" if json > 0 else None
