"""Builders for test data of the monitoring service."""

import itertools
from typing import Any

from dixian_shared import idnumber

_serial = itertools.count(100)


def person_id(birth: str = "19800101", sex_digit: int = 1) -> str:
    """A valid, unique resident ID number born on `birth` (YYYYMMDD); an odd last digit makes a man."""
    serial = next(_serial) % 100
    return idnumber.make(f"360702{birth}{serial:02d}{sex_digit}")


def member(**overrides: Any) -> dict[str, Any]:
    body = {
        "id_number": person_id(),
        "name": "张三",
        "relation": "户主",
        "labour_skill": "普通劳动力",
    }
    body.update(overrides)
    return body


def household(region_code: str, members: list[dict[str, Any]] | None = None, **overrides: Any) -> dict[str, Any]:
    body = {
        "region_code": region_code,
        "head_name": "张三",
        "category": "脱贫户",
        "members": members if members is not None else [member()],
    }
    body.update(overrides)
    return body
