"""Checks one row of the export on its own (ID number, vocabulary, formats) and turns it into a staging record.

Hand-written checks rather than a pydantic model per row: this is the hot loop of a 100,000-row load, and
plain functions over precomputed vocabularies are several times faster, with the same rules as the API schemas.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from dixian_shared import idnumber
from monitoring_api.deps import today_in_shanghai
from monitoring_api.households.enums import (
    MAX_RISK_CAUSES,
    MONITORING_SUBJECTS,
    Category,
    Education,
    Health,
    LabourSkill,
    Relation,
    SchoolStatus,
)
from monitoring_api.households.enums import (
    RISK_CAUSES as RISK_CAUSE_VALUES,
)
from monitoring_api.households.pinyin import initials
from monitoring_api.households.schemas import EARLIEST_DAY
from monitoring_api.imports.columns import BY_FIELD, NO, YES

Check = Callable[[str], Any]


def _text(limit: int) -> Check:
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"最多 {limit} 个字，此处 {len(value)} 个")
        return value

    return check


def _choice(enum: type[StrEnum]) -> Check:
    allowed = frozenset(member.value for member in enum)
    message = "应为以下之一：" + "、".join(member.value for member in enum)

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(message)
        return value

    return check


def _yes_no(value: str) -> bool:
    if value == YES:
        return True
    if value == NO:
        return False
    raise ValueError(f"应为{YES}或{NO}")


def _region(value: str) -> str:
    if len(value) != 12 or not (value.isascii() and value.isdigit()):
        raise ValueError("区划代码应为 12 位数字")
    return value


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        raise ValueError("应为日期（YYYY-MM-DD）") from None


def _inclusion_date(value: str) -> date:
    """纳入监测时间 within the bounds the API keeps (POST /households): not before the registry, not in the future,
    so an import is no side door to a subject included in year 1 (past every six-month rule) or next year."""
    day, today = _date(value), today_in_shanghai()
    if not EARLIEST_DAY <= day <= today:
        raise ValueError(f"纳入监测时间应在 {EARLIEST_DAY} 至今天（{today}）之间")
    return day


RISK_CAUSES = frozenset(RISK_CAUSE_VALUES)
_RISK_SEPARATORS = re.compile(r"[、,，;；\s]+")


def _risks(value: str) -> str:
    """Up to five risk types (致贫返贫风险), separated by 、 or commas; stored comma-joined in the staging row."""
    causes = [cause for cause in _RISK_SEPARATORS.split(value) if cause]
    unknown = [cause for cause in causes if cause not in RISK_CAUSES]
    if unknown:
        raise ValueError("未知的风险类型 " + "、".join(unknown) + "；可选：" + "、".join(RISK_CAUSE_VALUES))
    if len(set(causes)) > MAX_RISK_CAUSES:
        raise ValueError("风险类型最多五项")
    return ",".join(dict.fromkeys(causes))


def _year(value: str) -> int:
    if len(value) != 4 or not (value.isascii() and value.isdigit()) or not 2013 <= int(value) <= 2100:
        raise ValueError("应为 2013 至 2100 的年份")
    return int(value)


_PHONE = re.compile(r"[0-9+\- ]{5,20}")


def _phone(value: str) -> str:
    if not _PHONE.fullmatch(value):
        raise ValueError("应为 5 至 20 位数字，可含空格、+、-")
    return value


@dataclass(frozen=True)
class Spec:
    field: str
    check: Check
    default: Any = None

    @property
    def header(self) -> str:
        return BY_FIELD[self.field].header

    @property
    def required(self) -> bool:
        return BY_FIELD[self.field].required


SPECS: tuple[Spec, ...] = (
    Spec("household_number", _text(30)),
    Spec("region_code", _region),
    Spec("head_name", _text(50)),
    Spec("category", _choice(Category)),
    Spec("address", _text(200)),
    Spec("lifted_year", _year),
    Spec("name", _text(50)),
    Spec("id_number", idnumber.validate),
    Spec("relation", _choice(Relation)),
    Spec("labour_skill", _choice(LabourSkill)),
    Spec("health", _choice(Health), Health.healthy.value),
    Spec("school_status", _choice(SchoolStatus), SchoolStatus.not_student.value),
    Spec("education", _choice(Education)),
    Spec("medical_insured", _yes_no, False),
    Spec("pension_insured", _yes_no, False),
    Spec("dibao", _yes_no, False),
    Spec("tekun", _yes_no, False),
    Spec("public_welfare_job", _yes_no, False),
    Spec("phone", _phone),
    Spec("included_on", _inclusion_date),
    Spec("risk_causes", _risks),
)
SUBJECTS = frozenset(category.value for category in MONITORING_SUBJECTS)

# The staging table's columns, in the order of the records below (see staging.STAGING).
HOUSEHOLD_FIELDS = ("household_number", "region_code", "head_name", "category")
MEMBER_FIELDS = tuple(spec.field for spec in SPECS if spec.field not in HOUSEHOLD_FIELDS)
STAGING_COLUMNS = ("row_no", "ok", *HOUSEHOLD_FIELDS, "is_head", "sex", "birth_date", *MEMBER_FIELDS, "name_initials")
ERROR_COLUMNS = ("row_no", "household_number", "field", "reason")

StagingRecord = tuple[Any, ...]
ErrorRecord = tuple[int, str | None, str, str]


@dataclass
class Batch:
    records: list[StagingRecord] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)


def _check_row(number: int, raw: dict[str, str], batch: Batch) -> None:
    values: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for spec in SPECS:
        value = raw.get(spec.field, "")
        if not value:
            if spec.required:
                errors.append((spec.header, "必填"))
            values[spec.field] = spec.default
            continue
        try:
            values[spec.field] = spec.check(value)
        except ValueError as exc:
            errors.append((spec.header, getattr(exc, "message_zh", str(exc))))  # users read Chinese
    is_head = raw.get("relation") == Relation.head.value
    if is_head and values.get("category") in SUBJECTS and not raw.get("included_on"):
        # A subject without its inclusion date would escape every rule counted from inclusion (six months); the
        # household's facts are read from its head's row.
        errors.append((BY_FIELD["included_on"].header, "监测对象须填写纳入监测时间"))
    household = [values[name] if not errors else raw.get(name) or None for name in HOUSEHOLD_FIELDS]
    # A bad row keeps its raw household fields, so that household checks and skipping still see it.
    if errors:
        batch.records.append((number, False, *household, is_head) + (None,) * (3 + len(MEMBER_FIELDS)))
        batch.errors.extend((number, household[0], header, reason) for header, reason in errors)
        return
    person = values["id_number"]
    member = (values[name] for name in MEMBER_FIELDS)
    born, sex = idnumber.birth_date(person), idnumber.sex(person)
    batch.records.append((number, True, *household, is_head, sex, born, *member, initials(values["name"])))


def parse_batch(rows: Iterator[tuple[int, list[str]]], positions: dict[str, int], size: int) -> Batch:
    """The next `size` non-blank rows, checked; runs in a worker thread so the event loop keeps serving."""
    where = [(spec.field, positions[spec.header]) for spec in SPECS if spec.header in positions]
    batch = Batch()
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        count = len(cells)
        raw = {name: cells[index].strip() for name, index in where if index < count}
        _check_row(number, raw, batch)
        if len(batch.records) >= size:
            break
    return batch
