"""Months in paths and queries: `YYYY-MM`, turned into the month's first day."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Path

from dixian_shared.errors import InvalidField


async def month_path(
    month: Annotated[str, Path(pattern=r"^20\d\d-(0[1-9]|1[0-2])$", description="YYYY-MM", examples=["2026-11"])],
) -> date:
    try:
        return date(int(month[:4]), int(month[5:7]), 1)
    except ValueError:
        raise InvalidField("path.month", "not a month (YYYY-MM)", "不是月份（格式 YYYY-MM）") from None


Month = Annotated[date, Depends(month_path)]
