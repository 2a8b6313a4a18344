"""Business rules of monthly assessment. Takes the session first; flushes, never commits."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import outbox
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.concurrency import check_version
from dixian_shared.contracts import Topic
from dixian_shared.errors import NotFound, PreconditionFailed
from dixian_shared.pagination import PageParams
from monitoring_api.assessments import months, repository
from monitoring_api.assessments import overdue as overdue_queries
from monitoring_api.assessments.enums import REVIEW_OUTCOMES, Outcome
from monitoring_api.assessments.errors import (
    AgreeKeepsNotNow,
    AssessmentExists,
    AssessmentLocked,
    BadAssessedOn,
    BadReviewDate,
    CausesWithoutRisk,
    DisagreeNamesOutcome,
    MonthInFuture,
    NotReviewable,
    ReasonsRequired,
    ReviewExists,
    RiskCauseTwice,
    RoleMayNot,
)
from monitoring_api.assessments.models import Assessment, AssessmentReview
from monitoring_api.assessments.schemas import AssessmentCreate, AssessmentUpdate, ReviewCreate
from monitoring_api.households import service as households
from monitoring_api.households.models import Household
from monitoring_api.inclusion import service as inclusion
from monitoring_api.rules import RuleSettings

EDITABLE = ("outcome", "risk_causes", "reasons", "assessed_by", "assessed_on")


async def require_assessment(session: AsyncSession, principal: Principal, assessment_id: int) -> Assessment:
    assessment = await repository.get_assessment(session, principal, assessment_id)
    if assessment is None:
        raise NotFound(entity="assessment", key=assessment_id)
    return assessment


def _check_role(principal: Principal, role: Role, action: str, rule: str) -> None:
    if principal.role != role:
        raise RoleMayNot(role=principal.role, action=action, allowed=role, rule=rule)


def _check(household: Household, month: date, values: dict[str, Any], today: date) -> None:
    """The rules every recorded or changed assessment obeys."""
    outcome: Outcome = values["outcome"]
    if month > months.first_day(today):
        raise MonthInFuture(month=month.strftime("%Y-%m"), rule="assessment-month-not-future")
    if not month <= values["assessed_on"] <= today:
        raise BadAssessedOn(
            assessed_on=values["assessed_on"], month=month.strftime("%Y-%m"), today=today, rule="assessed-on-in-month"
        )
    reasons = values["reasons"]
    if outcome != Outcome.no_risk and (reasons is None or not reasons.strip()):
        raise ReasonsRequired(outcome=outcome, rule="assessment-reasons-required")
    causes = values["risk_causes"]
    if len(set(causes)) != len(causes):
        raise RiskCauseTwice(rule="assessment-risk-causes")
    if outcome == Outcome.no_risk and causes:
        raise CausesWithoutRisk(rule="assessment-risk-causes")
    if outcome == Outcome.include:
        inclusion.check_not_subject(household)


async def _publish(session: AsyncSession, assessment: Assessment, action: str) -> None:
    await outbox.publish_change(
        session, Topic.assessment_changed, "assessment", assessment.id, assessment.region_code, action
    )


async def _open_case_if_included(
    session: AsyncSession, principal: Principal, household: Household, assessment: Assessment
) -> None:
    if assessment.outcome == Outcome.include:
        await inclusion.open_from_assessment(
            session, principal, household, assessment.id, assessment.assessed_on, assessment.risk_causes
        )


async def record_assessment(
    session: AsyncSession, principal: Principal, data: AssessmentCreate, if_match: str | None, today: date
) -> tuple[Assessment, bool]:
    """Record the month's assessment; with If-Match, replace the one already recorded. Returns (record, created)."""
    _check_role(principal, Role.village, "record an assessment", "assessment-by-village")
    household = await households.require_household(session, principal, data.household_id)
    inclusion.check_active(household)
    existing = await repository.find_for_month(session, household.id, data.month)
    values = {
        "outcome": data.outcome,
        "risk_causes": list(data.risk_causes),
        "reasons": data.reasons,
        "assessed_by": data.assessed_by or inclusion.actor_name(principal, None),
        "assessed_on": data.assessed_on or today,
    }
    if existing is not None:
        if if_match is None:
            raise AssessmentExists(
                household_id=household.id, assessment_id=existing.id, month=data.month.strftime("%Y-%m")
            )
        return await _change(session, principal, existing, household, if_match, values, today), False
    if if_match is not None:
        raise PreconditionFailed(
            f"household {household.id} has no assessment for {data.month:%Y-%m} to update",
            detail_zh=f"农户 {household.id} 没有 {data.month:%Y-%m} 的研判可修改",
        )
    _check(household, data.month, values, today)
    assessment = Assessment(
        household_id=household.id,
        region_code=household.region_code,
        month=data.month,
        recorded_by=principal.subject,
        review=None,  # known empty, so reading it later needs no (forbidden) lazy load
        **values,
    )
    session.add(assessment)
    await session.flush()
    await _publish(session, assessment, "created")
    await _open_case_if_included(session, principal, household, assessment)
    return assessment, True


async def update_assessment(
    session: AsyncSession,
    principal: Principal,
    assessment_id: int,
    if_match: str | None,
    data: AssessmentUpdate,
    today: date,
) -> Assessment:
    assessment = await require_assessment(session, principal, assessment_id)
    _check_role(principal, Role.village, "change an assessment", "assessment-by-village")
    household = await households.require_household(session, principal, assessment.household_id)
    values = {field: getattr(assessment, field) for field in EDITABLE}
    # Only `reasons` can be null here (the schema refuses null elsewhere): it clears them, then the rules judge.
    values.update(data.model_dump(exclude_unset=True))
    return await _change(session, principal, assessment, household, if_match, values, today)


async def _change(
    session: AsyncSession,
    principal: Principal,
    assessment: Assessment,
    household: Household,
    if_match: str | None,
    values: dict[str, Any],
    today: date,
) -> Assessment:
    check_version(if_match, assessment.version)
    if assessment.review is not None:
        raise AssessmentLocked(assessment_id=assessment.id, why="the town has reviewed it", rule="reviewed-is-final")
    if values["outcome"] != assessment.outcome and await inclusion.case_from_assessment(session, assessment.id):
        raise AssessmentLocked(
            assessment_id=assessment.id, why="it opened an inclusion case", rule="case-opening-is-final"
        )
    _check(household, assessment.month, values, today)
    was_included = assessment.outcome == Outcome.include
    for field, value in values.items():
        setattr(assessment, field, value)
    await session.flush()
    await _publish(session, assessment, "updated")
    if not was_included:
        await _open_case_if_included(session, principal, household, assessment)
    return assessment


async def review_assessment(
    session: AsyncSession, principal: Principal, assessment_id: int, data: ReviewCreate, today: date
) -> Assessment:
    """Town review of 暂不纳入: agreeing keeps it; disagreeing turns it into 纳入监测 (opens a case) or 持续关注."""
    assessment = await require_assessment(session, principal, assessment_id)
    _check_role(principal, Role.town, "review a 暂不纳入 decision", "town-review-by-town")
    if assessment.review is not None:
        raise ReviewExists(assessment_id=assessment.id, reviewed_on=assessment.review.reviewed_on)
    if assessment.outcome != Outcome.not_now:
        raise NotReviewable(assessment_id=assessment.id, outcome=assessment.outcome, rule="town-reviews-not-included")
    reviewed_on = data.reviewed_on or today
    if not assessment.assessed_on <= reviewed_on <= today:
        raise BadReviewDate(
            reviewed_on=reviewed_on, assessed_on=assessment.assessed_on, today=today, rule="review-date-in-range"
        )
    if data.agree and data.outcome not in (None, Outcome.not_now):
        raise AgreeKeepsNotNow(rule="town-review-outcome")
    if not data.agree and data.outcome not in REVIEW_OUTCOMES:
        raise DisagreeNamesOutcome(rule="town-review-outcome")
    # Disagreeing names an outcome (checked just above), so outcome is None only when agreeing.
    after = Outcome.not_now if data.agree or data.outcome is None else Outcome(data.outcome)
    household = await households.require_household(session, principal, assessment.household_id)
    if after == Outcome.include:
        inclusion.check_not_subject(household)
    review = AssessmentReview(
        assessment_id=assessment.id,
        region_code=assessment.region_code,
        agree=data.agree,
        opinion=data.opinion,
        outcome_before=assessment.outcome,
        outcome_after=after,
        reviewed_by=principal.subject,
        reviewer_name=data.reviewer_name or inclusion.actor_name(principal, None),
        reviewed_on=reviewed_on,
    )
    session.add(review)
    assessment.outcome = after
    await session.flush()
    assessment.review = review
    await _publish(session, assessment, "reviewed")
    if after == Outcome.include:
        # The village's assessment was the first clue, so the 15-day clock starts on its date.
        await inclusion.open_from_assessment(
            session, principal, household, assessment.id, assessment.assessed_on, assessment.risk_causes
        )
    return assessment


async def list_assessments(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Assessment]:
    return await repository.list_assessments(session, principal, params, **filters)


async def opened_case_id(session: AsyncSession, assessment_id: int) -> int | None:
    case = await inclusion.case_from_assessment(session, assessment_id)
    return case.id if case is not None else None


async def overdue(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    today: date,
    rules: RuleSettings,
    region_code: str | None,
) -> tuple[Sequence[Row[*tuple[Any, ...]]], Sequence[Row[*tuple[Any, ...]]], Sequence[Row[*tuple[Any, ...]]]]:
    """(counts per village, counts per town, one page of overdue items), all inside the caller's scope."""
    subquery = overdue_queries.overdue_subquery(principal, today, rules, region_code)
    villages = await overdue_queries.count_by_village(session, subquery)
    towns = await overdue_queries.count_by_town(session, subquery)
    items = await overdue_queries.list_items(session, subquery, params)
    return villages, towns, items
