"""Schemathesis hooks for the stateful (link-following) fuzz: generated bodies and queries name places that exist
and carry valid resident ID numbers, so that producers (POST /households, /projects …) succeed and the state
machine can follow their links into the records they made. The stateless fuzz runs without them and keeps trying
malformed codes and numbers."""

import hashlib
from typing import Any

import schemathesis

from dixian_shared import idnumber

PLACES = ["360702191200", "360702191201", "360702192200", "360702191000", "360702192000"]


def _pick(seed: str, choices: list[str]) -> str:
    return choices[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(choices)]


def _id_number(seed: str) -> str:
    digits = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
    return idnumber.make(f"3607021{960 + digits % 40:03d}0{1 + digits % 9}1{digits % 9}{digits % 1000:03d}")


def _realistic(value: Any, seed: str) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            here = f"{seed}/{key}"
            if key.endswith("region_code") and isinstance(inner, str):
                out[key] = _pick(here, PLACES)
            elif key.endswith("id_number") and isinstance(inner, str):
                out[key] = _id_number(here + inner)
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
