"""The fields each data type carries, how each is checked, and where it lands in the staging table."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

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

Parser = Callable[[str], Any]
_CHECK_CHARS = "10X98765432"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    column: str
    parse: Parser
    required: bool = False


def text(max_length: int) -> Parser:
    def parse(raw: str) -> str:
        value = raw.strip()
        if len(value) > max_length:
            raise ValueError(f"at most {max_length} characters")
        return value

    return parse


def code(allowed: frozenset[str]) -> Parser:
    def parse(raw: str) -> str:
        value = raw.strip()
        if value not in allowed:
            raise ValueError(f"unknown code {value!r}; one of {', '.join(sorted(allowed))}")
        return value

    return parse


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


def money(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not an amount") from None
    if not value.is_finite() or value < 0 or value > MAX_MONEY:
        raise ValueError(f"the amount {raw!r} is impossible")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"the amount {raw!r} has more than two decimals")
    return value


def resident_id(today: date) -> Parser:
    """GB 11643 as in dixian_shared.idnumber, with a fast path for the valid numbers that make up nearly all rows."""

    def parse(raw: str, checks: str = _CHECK_CHARS) -> str:
        number = raw if len(raw) == 18 else raw.strip().upper()
        first = number[:17]
        # The MOD 11-2 weights are 2^(18-i) mod 11, and 13 = 2 (mod 11): reading the 17 digits as a base-13 number
        # gives the weighted sum (halved) in one C call. isdigit() and isascii() first: int() takes more than digits.
        if len(number) == 18 and first.isdigit() and number.isascii() and checks[2 * int(first, 13) % 11] == number[17]:
            try:
                birth = date.fromisoformat(number[6:14])
            except ValueError:
                birth = None
            if birth is not None and birth.year >= 1850 and birth <= today:
                return number
        if not number.isascii():  # str.isdigit() also takes full-width and other scripts' digits
            raise ValueError("a resident ID number is written with ASCII digits and X")
        valid = idnumber.validate(number)  # says what is wrong (or accepts a lower-case x)
        if idnumber.birth_date(valid) > today:  # counted to the batch's day, not the server's clock
            raise ValueError(f"the birth date {valid[6:14]} in the ID number is after {today.isoformat()}")
        return valid

    return parse


def region(raw: str) -> str:
    value = raw.strip()
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValueError("a region code is 12 digits")
    return value


def _specs(data_type: DataType, today: date) -> list[FieldSpec]:
    earliest = date(1900, 1, 1)

    def past(raw: str) -> date:
        if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":  # the common case without the general path's calls
            try:
                value = date.fromisoformat(raw)
            except ValueError:
                value = None
            if value is not None and earliest <= value <= today:
                return value
        return a_date(raw, not_after=today)

    # Departments repeat the same few dates (an enrolment day, a payment day) across many rows.
    past = lru_cache(maxsize=4096)(past)

    person = [FieldSpec("id_number", "id_number", resident_id(today), True), FieldSpec("name", "name", text(50))]
    where = FieldSpec("region_code", "region_code", region)
    specs: dict[DataType, list[FieldSpec]] = {
        DataType.education_enrolment: [
            *person,
            FieldSpec("school", "org", text(100)),
            FieldSpec("stage", "code", code(SCHOOL_STAGES), True),
            FieldSpec("enrolled_on", "event_date", past),
        ],
        DataType.student_aid: [
            *person,
            FieldSpec("school", "org", text(100)),
            FieldSpec("aid_type", "code", code(AID_TYPES), True),
            FieldSpec("amount", "amount", money, True),
            FieldSpec("paid_on", "event_date", past, True),
        ],
        DataType.medical_enrolment: [
            *person,
            FieldSpec("scheme", "code", code(MEDICAL_SCHEMES), True),
            FieldSpec("enrolled_on", "event_date", past),
        ],
        DataType.medical_claim: [
            *person,
            FieldSpec("claim_no", "record_ref", text(64), True),
            FieldSpec("hospital", "org", text(100)),
            FieldSpec("settled_on", "event_date", past, True),
            FieldSpec("total_cost", "amount", money, True),
            FieldSpec("out_of_pocket", "out_of_pocket", money, True),
        ],
        DataType.doctor_contract: [
            *person,
            FieldSpec("doctor_team", "org", text(100), True),
            FieldSpec("signed_on", "event_date", past, True),
            FieldSpec("valid_until", "due_date", a_date),
            FieldSpec("disease", "note", text(200)),
        ],
        DataType.housing_appraisal: [
            *person,
            FieldSpec("appraisal_no", "record_ref", text(64)),
            FieldSpec("grade", "code", code(GRADES), True),
            FieldSpec("appraised_on", "event_date", past, True),
        ],
        DataType.housing_renovation: [
            *person,
            FieldSpec("plan_no", "record_ref", text(64), True),
            FieldSpec("kind", "code", code(RENOVATION_KINDS)),
            FieldSpec("planned_finish", "due_date", a_date),
            FieldSpec("finished_on", "resolved_date", past),
        ],
        DataType.water_problem: [
            FieldSpec("problem_no", "record_ref", text(64), True),
            *person,
            where,
            FieldSpec("description", "note", text(200)),
            FieldSpec("reported_on", "event_date", past, True),
            FieldSpec("deadline", "due_date", a_date, True),
            FieldSpec("resolved_on", "resolved_date", past),
        ],
        DataType.dibao_roll: [
            *person,
            where,
            FieldSpec("since", "event_date", past),
            FieldSpec("amount", "amount", money),
        ],
        DataType.tekun_roll: [
            *person,
            where,
            FieldSpec("since", "event_date", past),
            FieldSpec("amount", "amount", money),
        ],
        DataType.temporary_assistance_roll: [
            *person,
            where,
            FieldSpec("paid_on", "event_date", past, True),
            FieldSpec("amount", "amount", money, True),
            FieldSpec("reason", "note", text(200)),
        ],
        DataType.pension_contribution: [
            *person,
            where,
            FieldSpec("paid_on", "event_date", past, True),
            FieldSpec("amount", "amount", money, True),
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
