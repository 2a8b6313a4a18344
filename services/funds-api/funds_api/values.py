"""Value types the funds bodies share: days inside the years the plans cover, amounts in yuan to the fen (and every
number as it is stored, so a write answers what a later read does), texts that say something."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from dixian_shared.errors import BilingualValueError

# Days a request may name: wide enough for any plan year, narrow enough that a year after it still exists.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
FEN = Decimal("0.01")

Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]


def to_fen(amount: Decimal) -> Decimal:
    """An amount as it is stored: 1E+2, 100.5 and -0 are 100.00, 100.50 and 0.00, so that what a write answers (and
    compares, as a change does with the project's budget) is what a later read returns."""
    return (amount + 0).quantize(FEN)


Fen = AfterValidator(to_fen)
# Money as every answer shows it, to the fen: a sum over nothing is 0.00 and a configured goal of 430000 is 430000.00.
Yuan = Annotated[Decimal, Fen]

RATE_PLACES = Decimal("0.0001")  # an annual rate as stored, Numeric(6, 4)
CENT_PLACES = Decimal("0.01")  # a quantity stored as Numeric(_, 2) that is not money: kWh, mu


def to_rate(rate: Decimal) -> Decimal:
    """A rate as it is stored: 0.031 is 0.0310, so that a loan's create answers what its reads do."""
    return (rate + 0).quantize(RATE_PLACES)


def to_cent(quantity: Decimal) -> Decimal:
    """A two-place quantity as it is stored: 1E+2 kWh is 100.00."""
    return (quantity + 0).quantize(CENT_PLACES)


AsStoredRate = AfterValidator(to_rate)
AsStoredCents = AfterValidator(to_cent)


def not_blank(text: str | None) -> str | None:
    """A text of only spaces says nothing, so it is refused as an empty one is (\\u3000, the full-width space a Chinese
    input method types, included: str.isspace knows it)."""
    if text is not None and text.isspace():
        raise BilingualValueError("must not be only spaces", "不能只含空格")
    return text


# On every text a body requires to say something (names, numbers, notes), beside its Field(min_length=1, ...).
NotBlank = AfterValidator(not_blank)
