"""Value types the funds bodies share: days inside the years the plans cover, amounts in yuan to the fen, texts that
say something."""

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


def not_blank(text: str | None) -> str | None:
    """A text of only spaces says nothing, so it is refused as an empty one is (\\u3000, the full-width space a Chinese
    input method types, included: str.isspace knows it)."""
    if text is not None and text.isspace():
        raise BilingualValueError("must not be only spaces", "不能只含空格")
    return text


# On every text a body requires to say something (names, numbers, notes), beside its Field(min_length=1, ...).
NotBlank = AfterValidator(not_blank)
