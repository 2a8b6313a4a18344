"""Schemathesis hooks for the stateful (link-following) fuzz: generated bodies and queries name places that exist,
carry valid resident ID numbers and days the services keep (2013-2025: the registry refuses an inclusion before
2013, every service days outside its years), so that producers (POST /households, /projects …) succeed and the
state machine can follow their links into the records they made. The stateless fuzz runs without them and keeps
trying malformed codes, numbers and days."""

import hashlib
from datetime import date, timedelta
from typing import Any

import schemathesis

from dixian_shared import idnumber

PLACES = ["360702191200", "360702191201", "360702192200", "360702191000", "360702192000"]


def _pick(seed: str, choices: list[str]) -> str:
    return choices[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(choices)]


def _id_number(seed: str) -> str:
    digits = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
    return idnumber.make(f"3607021{960 + digits % 40:03d}0{1 + digits % 9}1{digits % 9}{digits % 1000:03d}")


def _day(seed: str) -> str:
    digits = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
    return (date(2013, 1, 1) + timedelta(days=digits % 4748)).isoformat()  # up to 2025-12-31


def _is_day(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _realistic(value: Any, seed: str) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            here = f"{seed}/{key}"
            if key.endswith("region_code") and isinstance(inner, str):
                out[key] = _pick(here, PLACES)
            elif key.endswith("id_number") and isinstance(inner, str):
                out[key] = _id_number(here + inner)
            elif isinstance(inner, str) and len(inner) == 10 and _is_day(inner):
                out[key] = _day(here + inner)
            else:
                out[key] = _realistic(inner, here)
        return out
    if isinstance(value, list):
        return [_realistic(inner, f"{seed}/{n}") for n, inner in enumerate(value)]
    return value


@schemathesis.hook
def map_body(context: Any, body: Any) -> Any:
    return _realistic(body, repr(body))


@schemathesis.hook
def map_query(context: Any, query: Any) -> Any:
    return _realistic(query, repr(query)) if isinstance(query, dict) else query
