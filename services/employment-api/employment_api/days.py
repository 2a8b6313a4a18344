"""Days a request body may name: the years a ledger month may be (months.py, 2000–2099), so a year-1 or year-9999
date is refused with the field named instead of being stored and counted."""

from datetime import date
from typing import Annotated

from pydantic import Field

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)

Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
