"""What every cross-check rule shares: the batch's context, the tables, and small SQL builders."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    exists,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, distinct_on

from dixian_shared.auth.principal import under_region
from monitoring_api.households.enums import MONITORING_SUBJECTS, Category, HouseholdStatus, MemberStatus, SchoolStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.rules import RuleSettings
from monitoring_api.sector.enums import DataType
from monitoring_api.sector.intake.fields import specs_for
from monitoring_api.sector.models import staged_row

r = staged_row.c
m = Member.__table__.c
h = Household.__table__.c
KEY_CATEGORIES = (Category.lifted, *sorted(MONITORING_SUBJECTS))
STUDENTS = tuple(s for s in SchoolStatus if s not in (SchoolStatus.not_student, SchoolStatus.preschool))
# A person's registry entry for matching department rows to households: alive, or dead (the row stays).
KNOWN = (MemberStatus.active, MemberStatus.deceased)
RED, YELLOW = "红色", "黄色"
PAYMENT_ROLLS = frozenset({DataType.temporary_assistance_roll, DataType.pension_contribution})


@dataclass(frozen=True)
class CheckContext:
    batch_id: int
    data_type: DataType
    as_of: date
    year: int
    region_prefix: str
    batch_region: str
    settings: RuleSettings


RuleQuery = Callable[[CheckContext], Select[*tuple[Any, ...]]]


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def obj(**fields: Any) -> ColumnElement[Any]:
    """jsonb_build_object with keys written into the SQL (asyncpg cannot type a variadic bind parameter)."""
    args: list[Any] = []
    for key, value in fields.items():
        args += [literal_column(f"'{key}'"), value]
    return func.jsonb_build_object(*args, type_=JSONB)


def department_row(data_type: DataType, source: Any = r) -> ColumnElement[Any]:
    """The department's side of a finding: the row's fields under the names the department sent them."""
    return obj(**{spec.name: source[spec.column] for spec in specs_for(data_type)})


def on_batch(ctx: CheckContext) -> ColumnElement[bool]:
    return r.batch_id == ctx.batch_id


def in_batch(ctx: CheckContext, id_number: Any) -> Any:
    return exists().where(r.batch_id == ctx.batch_id, r.id_number == id_number)


def last_row_per(key: Any, ctx: CheckContext, *extra_order: Any) -> Any:
    """One staged row per key: the last one sent (a later line corrects an earlier one)."""
    return (
        select(staged_row)
        .where(on_batch(ctx))
        .ext(distinct_on(key))
        .order_by(key, *extra_order, r.part_number.desc(), r.line_number.desc())
    )


def household_key(household_id: Any) -> ColumnElement[str]:
    return literal("household:") + cast(household_id, String)


def key_household(ctx: CheckContext) -> ColumnElement[bool]:
    return and_(
        h.status == HouseholdStatus.active,
        h.category.in_(KEY_CATEGORIES),
        under_region(h.region_code, ctx.region_prefix),
    )
