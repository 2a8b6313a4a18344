"""The fields each data type carries, how each is checked, and where it lands in the staging table."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
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
_INDEX = {name: i for i, name in enumerate(STAGED_COLUMNS)}


MAX_MONEY = Decimal("999999999999.99")
_DATE_PARTS = re.compile(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$")
ALIASES = {"身份证号": "id_number", "身份证号码": "id_number", "公民身份号码": "id_number", "姓名": "name"}

Parser = Callable[[str], Any]


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
    match = _DATE_PARTS.match(raw.strip())
    if match is None:
        raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)")
    try:
        value = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"the date {raw!r} does not exist") from None
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


def resident_id(raw: str) -> str:
    if not raw.isascii():  # str.isdigit() also takes full-width and other scripts' digits
        raise ValueError("a resident ID number is written with ASCII digits and X")
    return idnumber.validate(raw)


def region(raw: str) -> str:
    value = raw.strip()
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValueError("a region code is 12 digits")
    return value


def _specs(data_type: DataType, today: date) -> list[FieldSpec]:
    def past(raw: str) -> date:
        return a_date(raw, not_after=today)

    person = [FieldSpec("id_number", "id_number", resident_id, True), FieldSpec("name", "name", text(50))]
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


def _cross_checks(values: list[Any]) -> list[tuple[str, str]]:
    """Checks between fields of one row (impossible combinations), as (staging column, reason)."""
    found = []
    amount, out_of_pocket = values[_INDEX["amount"]], values[_INDEX["out_of_pocket"]]
    if amount is not None and out_of_pocket is not None and out_of_pocket > amount:
        found.append(("out_of_pocket", "the out-of-pocket amount is more than the total cost"))
    event, due, resolved = values[_INDEX["event_date"]], values[_INDEX["due_date"]], values[_INDEX["resolved_date"]]
    if event is not None and due is not None and due < event:
        found.append(("due_date", "is before the start date"))
    if event is not None and resolved is not None and resolved < event:
        found.append(("resolved_date", "is before the start date"))
    return found


def _is_text(raw: str) -> bool:
    """What PostgreSQL can store: no NUL, no lone surrogate (a JSON escape can produce either)."""
    if "\x00" in raw:
        return False
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class RowValidator:
    """Turns one input record (field name → raw value) into a staging tuple, or into the reasons it is refused."""

    specs: list[FieldSpec]

    @property
    def required(self) -> list[str]:
        return [spec.name for spec in self.specs if spec.required]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(spec.name for spec in self.specs)

    def __call__(
        self, batch_id: int, part_number: int, line_number: int, record: Mapping[str, Any]
    ) -> tuple[tuple[Any, ...] | None, list[dict[str, str]]]:
        values: list[Any] = [None] * len(STAGED_COLUMNS)
        values[0], values[1], values[2] = batch_id, part_number, line_number
        errors: list[dict[str, str]] = []
        for spec in self.specs:
            raw = record.get(spec.name)
            if raw is None or raw == "":
                if spec.required:
                    errors.append({"field": spec.name, "reason": "required"})
                continue
            if not isinstance(raw, str):
                if isinstance(raw, bool) or not isinstance(raw, int | float):
                    errors.append({"field": spec.name, "reason": "must be a string or a number"})
                    continue
                raw = str(raw)
            if not _is_text(raw):
                errors.append({"field": spec.name, "reason": "contains a NUL or an unpaired surrogate, not text"})
                continue
            try:
                values[_INDEX[spec.column]] = spec.parse(raw)
            except ValueError as exc:
                errors.append({"field": spec.name, "reason": str(exc)})
        if not errors:
            by_column = {spec.column: spec.name for spec in self.specs}
            errors = [{"field": by_column[column], "reason": reason} for column, reason in _cross_checks(values)]
        return (None, errors) if errors else (tuple(values), [])


def specs_for(data_type: DataType) -> list[FieldSpec]:
    """The fields of a data type, for naming them (the dates are not checked against a day here)."""
    return _specs(data_type, date.max)


def validator_for(data_type: DataType, today: date) -> RowValidator:
    return RowValidator(_specs(data_type, today))


def canonical_name(header: str) -> str:
    name = header.strip().lstrip("\ufeff")
    return ALIASES.get(name, name.lower())
