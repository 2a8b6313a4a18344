"""The fields each data type carries, how each is checked, and where it lands in the staging table."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial
from itertools import repeat
from operator import itemgetter
from typing import Any, Protocol

from dixian_shared import idnumber
from monitoring_api.sector.codes import AID_TYPES, GRADES, MEDICAL_SCHEMES, RENOVATION_KINDS, SCHOOL_STAGES
from monitoring_api.sector.enums import DataType

# Order of the COPY columns of sector_row; a validated row is a tuple in this order.
STAGED_COLUMNS = (
    "batch_id",
    "part_number",
    "line_number",
    "id_number",
    "name",
    "record_ref",
    "code",
    "org",
    "region_code",
    "event_date",
    "due_date",
    "resolved_date",
    "amount",
    "out_of_pocket",
    "note",
)


MAX_MONEY = Decimal("999999999999.99")
_DATE_PARTS = re.compile(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$")
ALIASES = {"身份证号": "id_number", "身份证号码": "id_number", "公民身份号码": "id_number", "姓名": "name"}

_CHECK_CHARS = "10X98765432"
_PLAIN_MONEY = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?")


class Parser(Protocol):
    """One field's check: `__call__` parses a value or raises ValueError saying what is wrong with it.

    `as_sent` looks at a whole column at once (C-level passes; Python only per distinct date): True promises that every
    value would parse to itself, so that PostgreSQL's COPY may read the line as the department sent it; False only
    means "look closer", one value at a time. An empty string is an absent value (NULL either way); whether the field
    may be absent is the caller's business.
    """

    def __call__(self, raw: str, /) -> Any: ...

    def as_sent(self, values: list[str], /) -> bool: ...


@dataclass(frozen=True)
class FieldSpec:
    name: str
    column: str
    parse: Parser
    required: bool = False


class Text:
    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def __call__(self, raw: str) -> str:
        value = raw.strip()
        if len(value) > self.max_length:
            raise ValueError(f"at most {self.max_length} characters")
        return value

    def as_sent(self, values: list[str]) -> bool:
        return max(map(len, values), default=0) <= self.max_length and list(map(str.strip, values)) == values


class Code:
    def __init__(self, allowed: frozenset[str]) -> None:
        self.allowed = allowed
        self._as_sent = allowed | {""}

    def __call__(self, raw: str) -> str:
        value = raw.strip()
        if value not in self.allowed:
            raise ValueError(f"unknown code {value!r}; one of {', '.join(sorted(self.allowed))}")
        return value

    def as_sent(self, values: list[str]) -> bool:
        return set(values) <= self._as_sent


def a_date(raw: str, *, not_after: date | None = None) -> date:
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":  # YYYY-MM-DD, the common case, parsed in C
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"the date {raw!r} does not exist") from None
        return _plausible(raw, value, not_after)
    match = _DATE_PARTS.match(raw.strip())
    if match is None:
        raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)")
    try:
        value = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"the date {raw!r} does not exist") from None
    return _plausible(raw, value, not_after)


def _plausible(raw: str, value: date, not_after: date | None) -> date:
    if value.year < 1900 or value.year > 2100:
        raise ValueError(f"the date {raw!r} is not plausible")
    if not_after is not None and value > not_after:
        raise ValueError(f"the date {raw!r} is in the future")
    return value


class Day:
    """A date (YYYY-MM-DD, or with / or . or nothing between the parts); with `not_after`, of a past event."""

    def __init__(self, not_after: date | None = None) -> None:
        # Departments repeat the same few dates (an enrolment day, a payment day) across many rows.
        self._parse = lru_cache(maxsize=4096)(partial(a_date, not_after=not_after))

    def __call__(self, raw: str) -> date:
        return self._parse(raw)

    def as_sent(self, values: list[str]) -> bool:
        for raw in set(values) - {""}:  # a few distinct days, however many rows
            try:
                if self._parse(raw).isoformat() != raw:
                    return False
            except ValueError:
                return False
        return True


def money(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not an amount") from None
    if not value.is_finite() or value < 0 or value > MAX_MONEY:
        raise ValueError(f"the amount {raw!r} is impossible")
    exponent = value.as_tuple().exponent  # an int: only NaN and infinities have a letter here, refused above
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(f"the amount {raw!r} has more than two decimals")
    return value


class Money:
    def __call__(self, raw: str) -> Decimal:
        return money(raw)

    def as_sent(self, values: list[str]) -> bool:
        return all(map(_PLAIN_MONEY.fullmatch, filter(None, values)))


class ResidentId:
    """GB 11643 as in dixian_shared.idnumber, with fast paths for the valid numbers that make up nearly all rows."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._births: set[str] = set()  # YYYYMMDD already found real and past: a few tens of thousands at most

    def _born(self, digits: str) -> bool:
        if digits in self._births:
            return True
        try:
            birth = date.fromisoformat(digits)  # YYYYMMDD
        except ValueError:
            return False
        if birth.year < 1850 or birth > self.today:
            return False
        self._births.add(digits)
        return True

    def __call__(self, raw: str, checks: str = _CHECK_CHARS) -> str:
        number = raw if len(raw) == 18 else raw.strip().upper()
        first = number[:17]
        # The MOD 11-2 weights are 2^(18-i) mod 11, and 13 = 2 (mod 11): reading the 17 digits as a base-13 number
        # gives the weighted sum (halved) in one C call. isdigit() and isascii() first: int() takes more than digits.
        if (
            len(number) == 18
            and first.isdigit()
            and number.isascii()
            and checks[2 * int(first, 13) % 11] == number[17]
            and self._born(number[6:14])
        ):
            return number
        if not number.isascii():  # str.isdigit() also takes full-width and other scripts' digits
            raise ValueError("a resident ID number is written with ASCII digits and X")
        valid = idnumber.validate(number)  # says what is wrong (or accepts a lower-case x)
        if idnumber.birth_date(valid) > self.today:  # counted to the batch's day, not the server's clock
            raise ValueError(f"the birth date {valid[6:14]} in the ID number is after {self.today.isoformat()}")
        return valid

    def as_sent(self, values: list[str]) -> bool:
        if set(map(len, values)) != {18}:
            return False
        joined = "".join(values)
        # ASCII digits and X only (isascii is a flag; translate deletes the allowed bytes), X only as check character.
        if not joined.isascii() or joined.encode().translate(None, b"0123456789X"):
            return False
        if joined.count("X") != "".join(map(itemgetter(17), values)).count("X"):
            return False
        # ISO 7064 MOD 11-2 over all 18 characters (X is 10) leaves 1; read in base 13 (X as A), 13 = 2 (mod 11).
        in_base_13 = "\n".join(values).replace("X", "A").split("\n")
        if set(map(int.__mod__, map(int, in_base_13, repeat(13)), repeat(11))) != {1}:
            return False
        return all(map(self._born, set(map(itemgetter(slice(6, 14)), values)) - self._births))


class Region:
    def __call__(self, raw: str) -> str:
        value = raw.strip()
        if len(value) != 12 or not value.isascii() or not value.isdigit():
            raise ValueError("a region code is 12 digits")
        return value

    def as_sent(self, values: list[str]) -> bool:
        joined = "".join(values)
        return set(map(len, values)) <= {0, 12} and joined.isascii() and (joined.isdigit() or not joined)


def _specs(data_type: DataType, today: date) -> list[FieldSpec]:
    past = Day(not_after=today)
    person = [FieldSpec("id_number", "id_number", ResidentId(today), True), FieldSpec("name", "name", Text(50))]
    where = FieldSpec("region_code", "region_code", Region())
    specs: dict[DataType, list[FieldSpec]] = {
        DataType.education_enrolment: [
            *person,
            FieldSpec("school", "org", Text(100)),
            FieldSpec("stage", "code", Code(SCHOOL_STAGES), True),
            FieldSpec("enrolled_on", "event_date", past),
        ],
        DataType.student_aid: [
            *person,
            FieldSpec("school", "org", Text(100)),
            FieldSpec("aid_type", "code", Code(AID_TYPES), True),
            FieldSpec("amount", "amount", Money(), True),
            FieldSpec("paid_on", "event_date", past, True),
        ],
        DataType.medical_enrolment: [
            *person,
            FieldSpec("scheme", "code", Code(MEDICAL_SCHEMES), True),
            FieldSpec("enrolled_on", "event_date", past),
        ],
        DataType.medical_claim: [
            *person,
            FieldSpec("claim_no", "record_ref", Text(64), True),
            FieldSpec("hospital", "org", Text(100)),
            FieldSpec("settled_on", "event_date", past, True),
            FieldSpec("total_cost", "amount", Money(), True),
            FieldSpec("out_of_pocket", "out_of_pocket", Money(), True),
        ],
        DataType.doctor_contract: [
            *person,
            FieldSpec("doctor_team", "org", Text(100), True),
            FieldSpec("signed_on", "event_date", past, True),
            FieldSpec("valid_until", "due_date", Day()),
            FieldSpec("disease", "note", Text(200)),
        ],
        DataType.housing_appraisal: [
            *person,
            FieldSpec("appraisal_no", "record_ref", Text(64)),
            FieldSpec("grade", "code", Code(GRADES), True),
            FieldSpec("appraised_on", "event_date", past, True),
        ],
        DataType.housing_renovation: [
            *person,
            FieldSpec("plan_no", "record_ref", Text(64), True),
            FieldSpec("kind", "code", Code(RENOVATION_KINDS)),
            FieldSpec("planned_finish", "due_date", Day()),
            FieldSpec("finished_on", "resolved_date", past),
        ],
        DataType.water_problem: [
            FieldSpec("problem_no", "record_ref", Text(64), True),
            *person,
            where,
            FieldSpec("description", "note", Text(200)),
            FieldSpec("reported_on", "event_date", past, True),
            FieldSpec("deadline", "due_date", Day(), True),
            FieldSpec("resolved_on", "resolved_date", past),
        ],
        DataType.dibao_roll: [
            *person,
            where,
            FieldSpec("since", "event_date", past),
            FieldSpec("amount", "amount", Money()),
        ],
        DataType.tekun_roll: [
            *person,
            where,
            FieldSpec("since", "event_date", past),
            FieldSpec("amount", "amount", Money()),
        ],
        DataType.temporary_assistance_roll: [
            *person,
            where,
            FieldSpec("paid_on", "event_date", past, True),
            FieldSpec("amount", "amount", Money(), True),
            FieldSpec("reason", "note", Text(200)),
        ],
        DataType.pension_contribution: [
            *person,
            where,
            FieldSpec("paid_on", "event_date", past, True),
            FieldSpec("amount", "amount", Money(), True),
        ],
    }
    return specs[data_type]


def specs_for(data_type: DataType) -> list[FieldSpec]:
    """The fields of a data type, for naming them (the dates are not checked against a day here)."""
    return _specs(data_type, date.max)


def specs_with_day(data_type: DataType, today: date) -> list[FieldSpec]:
    """The fields of a data type, with dates of past events checked against `today`."""
    return _specs(data_type, today)


def canonical_name(header: str) -> str:
    name = header.strip().lstrip("\ufeff")
    return ALIASES.get(name, name.lower())
