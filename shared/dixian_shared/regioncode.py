"""The 12-digit statistical region code (统计用区划代码): province 2 · city 2 · county 2 · town 3 · village 3."""

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field


class RegionLevel(StrEnum):
    province = "province"
    city = "city"
    district = "district"
    town = "town"
    village = "village"


_SIGNIFICANT_DIGITS = {
    RegionLevel.province: 2,
    RegionLevel.city: 4,
    RegionLevel.district: 6,
    RegionLevel.town: 9,
    RegionLevel.village: 12,
}


def validate(code: str) -> str:
    if len(code) != 12 or not code.isdigit():
        raise ValueError("a region code is 12 digits")
    return code


def level(code: str) -> RegionLevel:
    """The level of a code, read from where its trailing zeros start."""
    if code[9:] != "000":
        return RegionLevel.village
    if code[6:9] != "000":
        return RegionLevel.town
    if code[4:6] != "00":
        return RegionLevel.district
    if code[2:4] != "00":
        return RegionLevel.city
    return RegionLevel.province


def prefix(code: str) -> str:
    """The significant digits: every code under this region starts with them."""
    return code[: _SIGNIFICANT_DIGITS[level(code)]]


def parent(code: str) -> str | None:
    lvl = level(code)
    order = list(_SIGNIFICANT_DIGITS)
    index = order.index(lvl)
    if index == 0:
        return None
    keep = _SIGNIFICANT_DIGITS[order[index - 1]]
    return code[:keep].ljust(12, "0")


def contains(ancestor: str, code: str) -> bool:
    return code.startswith(prefix(ancestor))


RegionCode = Annotated[str, Field(pattern=r"^\d{12}$", examples=["360702191200"]), AfterValidator(validate)]
