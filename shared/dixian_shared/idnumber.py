"""The resident ID number (居民身份证号, GB 11643): 17 digits, ISO 7064 MOD 11-2 check character, a real birth date."""

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from dixian_shared.errors import BilingualValueError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


def check_character(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise(value: str) -> str:
    return value.strip().upper()


def validate(value: str) -> str:
    """Return the normalised number or raise ValueError saying what is wrong with it."""
    number = normalise(value)
    if len(number) != 18:
        raise BilingualValueError(
            f"a resident ID number has 18 characters, this one has {len(number)}",
            f"居民身份证号应为 18 位，此号码为 {len(number)} 位",
        )
    if not number.isascii() or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise BilingualValueError(
            "a resident ID number is 17 digits followed by a digit or X", "居民身份证号应为 17 位数字加一位数字或 X"
        )
    try:
        birth = birth_date(number)
    except ValueError:
        raise BilingualValueError(
            f"the birth date {number[6:14]} in the ID number does not exist",
            f"身份证号中的出生日期 {number[6:14]} 不存在",
        ) from None
    if birth.year < 1850 or birth > date.today():
        raise BilingualValueError(
            f"the birth date {number[6:14]} in the ID number is not plausible",
            f"身份证号中的出生日期 {number[6:14]} 不合理",
        )
    if number[17] != check_character(number[:17]):
        raise BilingualValueError("the check character of the ID number is wrong", "身份证号校验位不正确")
    return number


def birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def make(first17: str) -> str:
    """A valid number from 17 digits (used by the data generator and tests)."""
    return first17 + check_character(first17)


def _as_str(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


ResidentId = Annotated[
    str,
    BeforeValidator(_as_str),
    Field(min_length=18, max_length=18, examples=["11010519491231002X"]),
    AfterValidator(validate),
]
