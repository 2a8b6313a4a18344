"""The one SQL definition of each target, over one base relation: the month's roster with its ledger entries.

The target figures, the lists of people behind them and any export all select from `base` with these predicates;
nothing restates them.
"""

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.sql.selectable import Subquery

from employment_api.ledger.enums import EMPLOYED, EmploymentStatus
from employment_api.ledger.models import LedgerEntry
from employment_api.roster.definitions import on_roster_in
from employment_api.roster.models import Labourer
from employment_api.rules import RuleSettings

TARGETS = ("employed_lifted", "public_welfare_lifted", "in_workshops")


def base(month: date, rules: RuleSettings, *, where: ColumnElement[bool] | None = None) -> Subquery:
    """Every labourer on the roster that month (working age, capacity, alive, in the registry) and their entry."""
    stmt = (
        select(
            Labourer.id.label("labourer_id"),
            Labourer.household_id,
            Labourer.region_code,
            Labourer.name,
            Labourer.household_category,
            LedgerEntry.id.label("entry_id"),
            LedgerEntry.status,
        )
        .outerjoin(LedgerEntry, and_(LedgerEntry.labourer_id == Labourer.id, LedgerEntry.month == month))
        .where(on_roster_in(month, rules))
    )
    if where is not None:
        stmt = stmt.where(where)
    return stmt.subquery("roster_month")


def employed(rows: Subquery) -> ColumnElement[bool]:
    return func.coalesce(rows.c.status.in_(EMPLOYED), False)


def predicate(target: str, rows: Subquery, rules: RuleSettings) -> ColumnElement[bool]:
    lifted = rows.c.household_category.in_(rules.lifted_categories)
    return {
        # 脱贫劳动力务工就业: lifted labourers in any kind of work that month
        "employed_lifted": and_(lifted, employed(rows)),
        # 公益性岗位安置脱贫劳动力
        "public_welfare_lifted": and_(lifted, rows.c.status == EmploymentStatus.public_welfare),
        # 帮扶车间吸纳就业: everyone on the roster working in an assistance workshop
        "in_workshops": func.coalesce(rows.c.status == EmploymentStatus.workshop, False),
    }[target]


def nobody_employed(rows: Subquery) -> ColumnElement[bool]:
    """零就业家庭, over a household's rows: labourers on the roster that month, none of them employed (or entered)."""
    return ~func.bool_or(employed(rows))


def zero_employment_households(rows: Subquery) -> Select[*tuple[Any, ...]]:
    return (
        select(rows.c.region_code, rows.c.household_id, func.count().label("labourers"))
        .group_by(rows.c.region_code, rows.c.household_id)
        .having(nobody_employed(rows))
    )


def per_household(rows: Subquery, rules: RuleSettings) -> Subquery:
    """Each household's figures in one pass, so the village figures and 零就业家庭 share a single scan."""
    figures = [func.count().filter(predicate(target, rows, rules)).label(target) for target in TARGETS]
    return (
        select(
            rows.c.region_code,
            rows.c.household_id,
            func.count().label("labourers"),
            *figures,
            nobody_employed(rows).label("zero_employment"),
        )
        .group_by(rows.c.region_code, rows.c.household_id)
        .subquery("per_household")
    )
