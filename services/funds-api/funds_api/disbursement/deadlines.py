"""Disbursement milestones on GET /deadlines, per town and for the district, from the same standing and rollups as
every report: the milestone in view is upcoming (projects below its rate), a past one overdue (projects that missed it).
"""

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import DeadlineItem
from dixian_shared.deadlines import DeadlineKind, deadline_item
from dixian_shared.workdays import WorkdayCalendar
from funds_api.deadlines.items import Window
from funds_api.disbursement import rollups
from funds_api.disbursement.milestones import standing
from funds_api.disbursement.rollups import Level
from funds_api.rules import FundsRules

TOWN = DeadlineKind(
    "funds.disbursement_milestone", "衔接资金拨付进度节点", "town", "/disbursement/projects?lagging=true"
)
DISTRICT = DeadlineKind(
    "funds.disbursement_milestone", "衔接资金拨付进度节点", "district", "/disbursement/projects?lagging=true"
)
TOWN_MISSED = DeadlineKind(
    "funds.disbursement_milestone", "衔接资金拨付进度节点", "town", "/disbursement/projects?missed=true"
)
DISTRICT_MISSED = DeadlineKind(
    "funds.disbursement_milestone", "衔接资金拨付进度节点", "district", "/disbursement/projects?missed=true"
)


async def disbursement_milestones(
    session: AsyncSession, rules: FundsRules, calendar: WorkdayCalendar, window: Window
) -> list[DeadlineItem]:
    view = standing(rules.disbursement, calendar, window.on.year, window.on)
    until = window.on + timedelta(days=window.horizon_days)
    ahead = view.target if window.on <= view.target.effective_deadline <= until else None
    if ahead is None and view.passed is None:
        return []
    items: list[DeadlineItem] = []
    kinds = {Level.town: (TOWN, TOWN_MISSED), Level.district: (DISTRICT, DISTRICT_MISSED)}
    # The district's own line only when the whole district is asked about.
    levels = [Level.town, Level.district] if len(window.region_prefix) <= 6 else [Level.town]
    for row in await rollups.grouped(session, window.region_prefix, levels, view):
        level = Level(row.level)
        upcoming, overdue = kinds[level]
        place = row.key if level is Level.town else _district(window.region_prefix)
        if ahead is not None and row.lagging:
            items.append(deadline_item(upcoming, calendar, place, ahead.nominal_deadline, row.lagging, "upcoming"))
        if view.passed is not None and row.missed:
            items.append(deadline_item(overdue, calendar, place, view.passed.nominal_deadline, row.missed, "overdue"))
    return items


def _district(prefix: str) -> str:
    return prefix[:6].ljust(12, "0")
