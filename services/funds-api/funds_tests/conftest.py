"""Fixtures of the funds tests: a movable clock and the staff of each level."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from funds_api.deps import get_today


@dataclass
class Clock:
    today: date


@pytest.fixture
def clock(funds_app: FastAPI) -> Iterator[Clock]:
    """Today as the funds app sees it; a test moves it by assigning clock.today."""
    current = Clock(date(2026, 3, 2))
    funds_app.dependency_overrides[get_today] = lambda: current.today
    yield current
    funds_app.dependency_overrides.pop(get_today, None)


@dataclass(frozen=True)
class Staff:
    village: dict[str, str]
    other_village: dict[str, str]
    other_town_village: dict[str, str]
    town: dict[str, str]
    other_town: dict[str, str]
    district: dict[str, str]
    finance: dict[str, str]


@pytest.fixture
def staff(token_for: Callable[..., dict[str, str]]) -> Staff:
    return Staff(
        village=token_for("village", VILLAGE, subject="v1"),
        other_village=token_for("village", OTHER_VILLAGE, subject="v2"),
        other_town_village=token_for("village", OTHER_TOWN_VILLAGE, subject="v3"),
        town=token_for("town", TOWN, subject="t1"),
        other_town=token_for("town", OTHER_TOWN_VILLAGE[:9] + "000", subject="t2"),
        district=token_for("district", DISTRICT, subject="d1"),
        finance=token_for("department", DISTRICT, subject="f1", name="区财政局"),
    )
