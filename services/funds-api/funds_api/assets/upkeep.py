"""The one definition of missing asset upkeep, used by the overdue list, the ledger overview and GET /deadlines.

Each level keeps its own cadence (AssetRules), on calendar periods (months, quarters, halves of the year):
- 村级管护 (monthly) for assets kept on a village ledger, by the village;
- 乡镇巡查 (quarterly) for assets kept by a village or a town, by the town;
- 区级督导 (half-yearly) for every asset, by the district.
An asset needs a record in a period when it was formed by the period's end and not disposed of by then. A period
whose last day has passed without a record is overdue (the latest ended period is the one listed); the period
running now is upcoming, due on its last day.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, Subquery, and_, exists, literal, or_, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from funds_api.assets.enums import LedgerLevel, UpkeepLevel
from funds_api.assets.models import Asset, AssetUpkeep
from funds_api.rules import AssetRules

APPLIES_TO: dict[UpkeepLevel, tuple[LedgerLevel, ...]] = {
    UpkeepLevel.village: (LedgerLevel.village,),
    UpkeepLevel.town: (LedgerLevel.village, LedgerLevel.town),
    UpkeepLevel.district: tuple(LedgerLevel),
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def cadence(rules: AssetRules, level: UpkeepLevel) -> int:
    return {
        UpkeepLevel.village: rules.village_upkeep_months,
        UpkeepLevel.town: rules.town_inspection_months,
        UpkeepLevel.district: rules.district_supervision_months,
    }[level]


def period_of(day: date, months: int) -> Period:
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    return Period(
        date(day.year, first_month, 1), date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    )


def last_ended(on: date, months: int) -> Period:
    return period_of(period_of(on, months).start - timedelta(days=1), months)


def _missing(level: UpkeepLevel, period: Period, scope: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    recorded = exists().where(
        AssetUpkeep.asset_id == Asset.id,
        AssetUpkeep.level == level,
        AssetUpkeep.done_on >= period.start,
        AssetUpkeep.done_on <= period.end,
    )
    return select(
        Asset.id.label("asset_id"),
        Asset.name,
        Asset.region_code,
        literal(level.value).label("level"),
        literal(period.start).label("period_start"),
        literal(period.end).label("period_end"),
    ).where(
        Asset.ledger_level.in_(APPLIES_TO[level]),
        Asset.formed_on <= period.end,
        or_(Asset.disposed_on.is_(None), Asset.disposed_on > period.end),
        ~recorded,
        and_(scope),
    )


def missing(rules: AssetRules, on: date, scope: ColumnElement[bool], *, current: bool = False) -> Subquery:
    """Assets inside `scope` lacking a record: in the latest ended period of each level, or (current) in this one."""
    parts = []
    for level in UpkeepLevel:
        months = cadence(rules, level)
        period = period_of(on, months) if current else last_ended(on, months)
        parts.append(_missing(level, period, scope))
    return union_all(*parts).subquery("missing_upkeep")
