"""What every warning condition shares: the recompute's scope, the rules in force, the latest income, the columns."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Numeric,
    Select,
    String,
    Subquery,
    Values,
    column,
    literal,
    select,
    values,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import QueryableAttribute

from dixian_shared.auth.principal import under_region
from monitoring_api.households.enums import HouseholdStatus
from monitoring_api.households.models import Household
from monitoring_api.income.models import HouseholdIncome
from monitoring_api.rules import RuleSettings
from monitoring_api.warnings.enums import Grade, Line, Source, SystemRule


@dataclass(frozen=True)
class Scope:
    """The households a recompute covers: one household, or every household under a region prefix."""

    household_id: int | None = None
    region_prefix: str | None = None

    def __post_init__(self) -> None:
        if (self.household_id is None) == (self.region_prefix is None):
            raise ValueError("a scope is one household or one region prefix")

    @property
    def key(self) -> str:
        return f"household:{self.household_id}" if self.household_id is not None else f"region:{self.region_prefix}"

    def households(self) -> ColumnElement[bool]:
        if self.household_id is not None:
            return Household.id == self.household_id
        return under_region(Household.region_code, self.region_prefix or "")


@dataclass(frozen=True)
class RuleContext:
    rules: RuleSettings
    today: date


Condition = Callable[[Scope, RuleContext], Select]


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def money(value: Decimal) -> ColumnElement[Decimal]:
    return literal(value, Numeric(14, 4))


def latest_income(scope: Scope) -> Subquery:
    """Each active household's latest income record."""
    income = HouseholdIncome
    return (
        select(
            income.household_id,
            Household.region_code,
            income.year,
            income.net_income,
            income.per_capita_net_income.label("per_capita"),
            income.compliant_out_of_pocket.label("out_of_pocket"),
        )
        .join(Household, Household.id == income.household_id)
        .where(scope.households(), Household.status == HouseholdStatus.active)
        .ext(distinct_on(income.household_id))
        .order_by(income.household_id, income.year.desc())
        .subquery("latest")
    )


def income_lines(rules: RuleSettings) -> Values:
    rows = [(year, line.threshold, line.yellow_margin, line.sharp_drop) for year, line in rules.income_lines.items()]
    # VALUES cannot be empty; a year that matches no income stands in for "no line configured".
    return values(
        column("year", Integer),
        column("threshold", Numeric(14, 2)),
        column("yellow_margin", Numeric(8, 4)),
        column("sharp_drop", Numeric(8, 4)),
        name="income_line",
    ).data(rows or [(-1, Decimal(0), Decimal(0), Decimal(0))])


def columns(
    household_id: ColumnElement[int] | QueryableAttribute[int],
    region_code: ColumnElement[str] | QueryableAttribute[str],
    line: Line,
    grade: ColumnElement[str] | Grade,
    rule: SystemRule,
    subject: ColumnElement[str] | str,
    data: ColumnElement[Any],
) -> list[ColumnElement[Any]]:
    """The columns every condition selects, in the order the upsert inserts them."""
    return [
        household_id.label("household_id"),
        region_code.label("region_code"),
        literal(line.value, String).label("line"),
        (literal(grade.value, String) if isinstance(grade, Grade) else grade).label("grade"),
        literal(rule.value, String).label("rule"),
        literal(Source.system.value, String).label("source"),
        (literal(subject, String) if isinstance(subject, str) else subject).label("subject"),
        data.label("data"),
    ]


COLUMNS = ("household_id", "region_code", "line", "grade", "rule", "source", "subject", "data")
