"""The steps of an inclusion case, in order, each by its role: verification → notice → town review → district approval.

A town that disagrees ends the case as 不予纳入 with its opinion as the reason; the district decides 纳入 or 不予纳入.
Lateness (clue to decision beyond clue_to_decision_max_days) never blocks a step: a late case must still be decided,
and it is listed by GET /inclusion-cases/late.
"""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import outbox
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.contracts import Topic
from monitoring_api.households import service as households
from monitoring_api.households.enums import Category
from monitoring_api.inclusion import repository
from monitoring_api.inclusion.enums import NEXT_STEP, STEP_ROLE, CaseStatus, Decision, Step
from monitoring_api.inclusion.errors import (
    AuthorisationMissing,
    CaseDecided,
    NoticeBeforeVerification,
    NoticeEndsBeforeStart,
    NoticeNotOver,
    NoticeTooShort,
    RefusalNeedsReason,
    StepDate,
    StepOutOfOrder,
    StepRoleForbidden,
    SubjectKindRequired,
)
from monitoring_api.inclusion.models import CaseStep, InclusionCase
from monitoring_api.inclusion.schemas import (
    DistrictApprovalStep,
    NoticeStep,
    StepCreate,
    TownReviewStep,
    VerificationStep,
)
from monitoring_api.inclusion.service import actor_name, check_not_subject, require_case
from monitoring_api.rules import RuleSettings


def notice_days(start: date, end: date) -> int:
    """Counted inclusively: a notice posted on the 1st and taken down after the 5th has lasted 5 days."""
    return (end - start).days + 1


async def take_step(
    session: AsyncSession,
    principal: Principal,
    case_id: int,
    data: StepCreate,
    *,
    if_match: str | None,
    today: date,
    rules: RuleSettings,
) -> InclusionCase:
    case = await require_case(session, principal, case_id)
    if if_match is not None:
        check_version(if_match, case.version)
    allowed = STEP_ROLE[data.step]
    if principal.role != allowed:
        raise StepRoleForbidden(step=data.step, allowed=allowed, role=principal.role, rule="step-by-its-role")
    if case.status != CaseStatus.open:
        raise CaseDecided(case_id=case.id, status=case.status, decided_on=case.decided_on, rule="steps-in-order")
    expected = NEXT_STEP[case.stage]
    if data.step != expected:
        raise StepOutOfOrder(
            case_id=case.id, stage=case.stage, expected=expected, step=data.step, rule="steps-in-order"
        )
    previous = await repository.last_step(session, case.id)
    earliest = previous.taken_on if previous is not None else case.clue_date
    taken_on = data.taken_on or today
    if not earliest <= taken_on <= today:
        raise StepDate(what="taken_on", value=taken_on, earliest=earliest, today=today, rule="step-dates-in-order")
    step = CaseStep(
        case_id=case.id,
        step=data.step,
        taken_on=taken_on,
        actor=principal.subject,
        actor_name=actor_name(principal, data.actor_name),
        actor_role=str(principal.role),
        result="",
    )
    if isinstance(data, VerificationStep):
        _verify(case, step, data)
    elif isinstance(data, NoticeStep):
        _notice(step, data, earliest, rules)
    elif isinstance(data, TownReviewStep):
        await _town_review(session, case, step, data)
    elif isinstance(data, DistrictApprovalStep):
        await _district_approval(session, principal, case, step, data)
    case.stage = data.step
    session.add(step)
    await session.flush()
    if case.status != CaseStatus.open:
        # The decision (included or refused) is a record the province receives.
        await outbox.publish_change(
            session, Topic.inclusion_changed, "inclusion_case", case.id, case.region_code, case.status.value
        )
    return case


def _verify(case: InclusionCase, step: CaseStep, data: VerificationStep) -> None:
    if not data.authorisation_signed or data.authorisation_date is None:
        raise AuthorisationMissing(rule="verification-needs-signed-authorisation")
    if not case.clue_date <= data.authorisation_date <= step.taken_on:
        raise StepDate(
            what="authorisation_date",
            value=data.authorisation_date,
            earliest=case.clue_date,
            today=step.taken_on,
            rule="verification-needs-signed-authorisation",
        )
    if data.subject_kind is not None:
        case.subject_kind = data.subject_kind
    step.authorisation_signed = True
    step.authorisation_date = data.authorisation_date
    step.result = "核实"
    step.note = data.note


def _notice(step: CaseStep, data: NoticeStep, verified_on: date, rules: RuleSettings) -> None:
    if data.notice_start < verified_on:
        raise NoticeBeforeVerification(
            notice_start=data.notice_start, verified_on=verified_on, rule="notice-after-verification"
        )
    if data.notice_end < data.notice_start:
        raise NoticeEndsBeforeStart(
            notice_end=data.notice_end, notice_start=data.notice_start, rule="notice-ends-after-start"
        )
    days = notice_days(data.notice_start, data.notice_end)
    if days < rules.notice_min_days:
        raise NoticeTooShort(
            start=data.notice_start,
            end=data.notice_end,
            days=days,
            min_days=rules.notice_min_days,
            rule="notice-min-days",
        )
    step.notice_start = data.notice_start
    step.notice_end = data.notice_end
    step.result = "已公示"
    step.note = data.note


async def _town_review(session: AsyncSession, case: InclusionCase, step: CaseStep, data: TownReviewStep) -> None:
    notice = await repository.last_step(session, case.id, Step.notice)
    if notice is not None and notice.notice_end is not None and step.taken_on <= notice.notice_end:
        raise NoticeNotOver(notice_end=notice.notice_end, taken_on=step.taken_on, rule="town-review-after-notice")
    step.result = "同意" if data.agree else "不同意"
    step.note = data.opinion
    if not data.agree:
        _decide(case, CaseStatus.refused, step.taken_on, data.opinion)


async def _district_approval(
    session: AsyncSession, principal: Principal, case: InclusionCase, step: CaseStep, data: DistrictApprovalStep
) -> None:
    step.note = data.reason
    step.result = data.decision.value
    if data.decision == Decision.refuse:
        if data.reason is None or not data.reason.strip():
            raise RefusalNeedsReason(rule="refusal-needs-reason")
        _decide(case, CaseStatus.refused, step.taken_on, data.reason)
        return
    kind = data.subject_kind or case.subject_kind
    if kind is None:
        raise SubjectKindRequired(rule="inclusion-names-subject-kind")
    household = await households.require_household(session, principal, case.household_id)
    check_not_subject(household)
    case.subject_kind = kind
    _decide(case, CaseStatus.included, step.taken_on, None)
    household.category = Category(kind.value)
    household.included_on = step.taken_on
    household.risk_eliminated_on = None  # a new inclusion opens a new risk; the old elimination stays on record
    household.elimination_id = None
    if case.risk_causes:
        household.risk_causes = list(case.risk_causes)
    await session.flush()
    await outbox.publish_change(
        session, Topic.household_changed, "household", household.id, household.region_code, "included"
    )


def _decide(case: InclusionCase, status: CaseStatus, on: date, reason: str | None) -> None:
    case.status = status
    case.decided_on = on
    case.refusal_reason = reason
