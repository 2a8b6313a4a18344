"""What is overdue in monthly assessment, as set-based queries grouped by village and town.

Two kinds: a 持续关注 household whose latest assessment is older than the re-assessment period (no assessment this
month, with the default period of one month), and a 暂不纳入 decision the town has not reviewed by the end of its month.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Date, Interval, Row, String, Subquery, cast, func, literal, or_, select, union_all
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.assessments import months
from monitoring_api.assessments.enums import Outcome, OverdueKind
from monitoring_api.assessments.models import Assessment, AssessmentReview
from monitoring_api.households.enums import HouseholdStatus
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings


def _month_plus(column: Any, count: int) -> Any:
    return cast(column + func.make_interval(0, count, type_=Interval), Date)


def _watch_not_reassessed(principal: Principal, today: date, rules: RuleSettings) -> Any:
    every = rules.reassess_watch_every_months
    latest = (
        select(Assessment.id, Assessment.household_id, Assessment.month, Assessment.outcome)
        .ext(distinct_on(Assessment.household_id))
        .order_by(Assessment.household_id, Assessment.month.desc())
        .subquery("latest")
    )
    last_month_in_time = months.add_months(months.first_day(today), -every)
    return (
        select(
            literal(OverdueKind.watch_not_reassessed.value, String(30)).label("kind"),
            Household.region_code.label("region_code"),
            Household.id.label("household_id"),
            Household.head_name.label("head_name"),
            latest.c.id.label("assessment_id"),
            latest.c.month.label("month"),
            _month_plus(latest.c.month, every).label("overdue_since"),
        )
        .join(Household, Household.id == latest.c.household_id)
        .where(
            latest.c.outcome == Outcome.watch,
            latest.c.month <= last_month_in_time,
            # "until it is included": a household that became a subject by another channel is no longer watched;
            # one whose risk was since marked eliminated is watched again, from a 持续关注 given after that.
            ~Household.at_risk,
            or_(
                Household.risk_eliminated_on.is_(None),
                latest.c.month >= cast(func.date_trunc("month", Household.risk_eliminated_on), Date),
            ),
            Household.status == HouseholdStatus.active,
            # The household's current village must re-assess it: scoping follows the household, not the assessment.
            in_scope(Household.region_code, principal),
        )
    )


def _not_now_unreviewed(principal: Principal, today: date) -> Any:
    # Past the month end means the assessment's month lies before today's month.
    return (
        select(
            literal(OverdueKind.not_now_unreviewed.value, String(30)).label("kind"),
            Assessment.region_code.label("region_code"),
            Household.id.label("household_id"),
            Household.head_name.label("head_name"),
            Assessment.id.label("assessment_id"),
            Assessment.month.label("month"),
            _month_plus(Assessment.month, 1).label("overdue_since"),
        )
        .join(Household, Household.id == Assessment.household_id)
        .outerjoin(AssessmentReview, AssessmentReview.assessment_id == Assessment.id)
        .where(
            Assessment.outcome == Outcome.not_now,
            AssessmentReview.id.is_(None),
            Assessment.month < months.first_day(today),
            in_scope(Assessment.region_code, principal),
        )
    )


def overdue_subquery(principal: Principal, today: date, rules: RuleSettings, region_code: str | None) -> Subquery:
    parts = [_watch_not_reassessed(principal, today, rules)]
    if rules.town_review_by_month_end:
        parts.append(_not_now_unreviewed(principal, today))
    overdue = union_all(*parts).subquery("overdue")
    if region_code is None:
        return overdue
    return select(overdue).where(under_region(overdue.c.region_code, regioncode.prefix(region_code))).subquery("o")


async def count_by_village(session: AsyncSession, overdue: Subquery) -> Sequence[Row[*tuple[Any, ...]]]:
    region = COMMON.region
    stmt = (
        select(overdue.c.region_code, region.c.name, overdue.c.kind, func.count().label("count"))
        .outerjoin(region, region.c.code == overdue.c.region_code)
        .group_by(overdue.c.region_code, region.c.name, overdue.c.kind)
        .order_by(overdue.c.region_code, overdue.c.kind)
    )
    return (await session.execute(stmt)).all()


async def count_by_town(session: AsyncSession, overdue: Subquery) -> Sequence[Row[*tuple[Any, ...]]]:
    region = COMMON.region
    town_code = (func.left(overdue.c.region_code, 9) + "000").label("region_code")
    by_town = (
        select(town_code, overdue.c.kind, func.count().label("count"))
        .group_by(town_code, overdue.c.kind)
        .subquery("by_town")
    )
    stmt = (
        select(by_town.c.region_code, region.c.name, by_town.c.kind, by_town.c.count)
        .outerjoin(region, region.c.code == by_town.c.region_code)
        .order_by(by_town.c.region_code, by_town.c.kind)
    )
    return (await session.execute(stmt)).all()


async def list_items(session: AsyncSession, overdue: Subquery, params: PageParams) -> Sequence[Row[*tuple[Any, ...]]]:
    stmt = select(overdue)
    return (await session.execute(apply_keyset(stmt, [overdue.c.region_code, overdue.c.assessment_id], params))).all()


async def count_overdue_by_region(
    session: AsyncSession, principal: Principal, today: date, rules: RuleSettings
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Per village in the caller's scope: (region_code, name, kind, count); for the overview and reminders."""
    return await count_by_village(session, overdue_subquery(principal, today, rules, None))
