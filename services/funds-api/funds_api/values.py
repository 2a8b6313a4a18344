"""Value types the funds bodies share: days inside the years the plans cover, amounts in yuan to the fen."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field

# Days a request may name: wide enough for any plan year, narrow enough that a year after it still exists.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
FEN = Decimal("0.01")

Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
