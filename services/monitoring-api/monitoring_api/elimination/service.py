"""Business rules of risk elimination: preconditions, step order and dates, the approval's effects.

Takes the session first; flushes, never commits.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import outbox
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.contracts import Topic
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from monitoring_api.elimination import repository
from monitoring_api.elimination.enums import (
    STEP_EXPECTS,
    STEP_PASSES_TO,
    STEP_ROLE,
    EliminationStatus,
    EliminationStep,
    Precondition,
)
from monitoring_api.elimination.errors import (
    AlreadyEliminated,
    EliminationInProgress,
    HouseholdWithoutLabour,
    NotASubject,
    NoticeTooShort,
    PreconditionsFailed,
    ReasonRequired,
    StepDate,
    StepOutOfOrder,
    StepRoleForbidden,
)
from monitoring_api.elimination.models import Elimination, EliminationStepRecord
from monitoring_api.elimination.preconditions import Evaluation, Facts, add_months, evaluate
from monitoring_api.elimination.schemas import (
    ApprovalStep,
    EliminationCreate,
    NoticeStep,
    TownReviewStep,
    VerificationStep,
)
from monitoring_api.households import repository as households
from monitoring_api.households.enums import HouseholdStatus
from monitoring_api.households.models import Household
from monitoring_api.measures.errors import HouseholdNotActive
from monitoring_api.measures.models import Lookback
from monitoring_api.rules import RuleSettings

LOOKBACK_REASON = "风险消除后帮扶成效回头看 (elimination {id})"


async def require_elimination(
    session: AsyncSession, principal: Principal, elimination_id: int, *, with_steps: bool = False
) -> Elimination:
    elimination = await repository.get_elimination(session, principal, elimination_id, with_steps=with_steps)
    if elimination is None:
        raise NotFound(entity="elimination", key=elimination_id)
    return elimination


async def _require_household(session: AsyncSession, principal: Principal, household_id: int) -> Household:
    household = await households.get_household(session, principal, household_id)
    if household is None:
        raise NotFound(entity="household", key=household_id)
    return household


async def _facts(session: AsyncSession, household: Household, today: date, rules: RuleSettings) -> Facts:
    return (await repository.facts_for(session, [household], rules, today))[household.id]


def _refuse_if_failed(household_id: int, evaluation: Evaluation) -> None:
    if any(f.name is Precondition.has_labour for f in evaluation.failures):
        raise HouseholdWithoutLabour(household_id, evaluation.failures)
    if evaluation.failures:
        raise PreconditionsFailed(evaluation.failures)


async def open_elimination(
    session: AsyncSession,
    principal: Principal,
    household_id: int,
    data: EliminationCreate,
    rules: RuleSettings,
    today: date,
) -> Elimination:
    household = await _require_household(session, principal, household_id)
    if household.status != HouseholdStatus.active:
        raise HouseholdNotActive(household_id=household.id, status=household.status)
    if not household.category.is_monitoring_subject:
        raise NotASubject(household_id=household.id, category=household.category)
    if not household.at_risk:
        raise AlreadyEliminated(
            household_id=household.id, on=household.risk_eliminated_on, elimination_id=household.elimination_id
        )
    running = await repository.open_elimination_of(session, household.id)
    if running is not None:
        raise EliminationInProgress(household_id=household.id, elimination_id=running.id, status=running.status)
    evaluation = evaluate(
        await _facts(session, household, today, rules),
        rules,
        risk_resolved=data.risk_resolved,
        risk_note=data.risk_note,
        clearing_risk_causes=data.clear_risk_causes,
    )
    _refuse_if_failed(household.id, evaluation)
    cleared = list(household.risk_causes or []) if data.clear_risk_causes else []
    if cleared:
        household.risk_causes = []
    elimination = Elimination(
        household_id=household.id,
        region_code=household.region_code,
        kind=data.kind,
        status=EliminationStatus.awaiting_verification,
        opened_on=today,
        opened_by=principal.subject,
        risk_note=data.risk_note or "",
        cleared_risk_causes=cleared,
        included_on=household.included_on,
        category_before=household.category.value,
        evidence=evaluation.evidence,
    )
    session.add(elimination)
    await session.flush()
    if cleared:
        await outbox.publish_change(
            session, Topic.household_changed, "household", household.id, household.region_code, "updated"
        )
    await outbox.publish_change(
        session, Topic.elimination_changed, "elimination", elimination.id, elimination.region_code, "opened"
    )
    return elimination


async def _begin_step(
    session: AsyncSession, principal: Principal, elimination_id: int, if_match: str | None, step: EliminationStep
) -> tuple[Elimination, date]:
    """The elimination, checked for version and order, and the earliest day this step may carry."""
    elimination = await require_elimination(session, principal, elimination_id)
    allowed = STEP_ROLE[step]
    if principal.role != allowed:
        raise StepRoleForbidden(step=step.value, allowed=allowed.value, role=principal.role.value)
    check_version(if_match, elimination.version)
    if elimination.status != STEP_EXPECTS[step]:
        raise StepOutOfOrder(elimination_id=elimination.id, status=elimination.status, step=step)
    return elimination, await repository.last_step_date(session, elimination)


def _check_day(field: str, value: date, earliest: date, today: date) -> None:
    if value < earliest or value > today:
        raise StepDate(field=field, value=value, earliest=earliest, today=today)


def _check_reason(passed: bool, note: str | None) -> None:
    if not passed and not (note and note.strip()):
        raise ReasonRequired()


async def _record_step(
    session: AsyncSession,
    principal: Principal,
    elimination: Elimination,
    step: EliminationStep,
    passed: bool,
    done_on: date,
    note: str | None,
    **notice: date,
) -> None:
    session.add(
        EliminationStepRecord(
            elimination_id=elimination.id,
            step=step,
            passed=passed,
            done_on=done_on,
            actor=principal.subject,
            actor_role=principal.role.value,
            note=note,
            **notice,
        )
    )
    elimination.status = STEP_PASSES_TO[step] if passed else EliminationStatus.refused
    await session.flush()
    action = f"{step.value}:{'passed' if passed else 'refused'}"
    await outbox.publish_change(
        session, Topic.elimination_changed, "elimination", elimination.id, elimination.region_code, action
    )


async def record_verification(
    session: AsyncSession,
    principal: Principal,
    elimination_id: int,
    if_match: str | None,
    data: VerificationStep,
    today: date,
) -> Elimination:
    step = EliminationStep.verification
    elimination, earliest = await _begin_step(session, principal, elimination_id, if_match, step)
    _check_day("done_on", data.done_on, earliest, today)
    _check_reason(data.passed, data.note)
    await _record_step(session, principal, elimination, step, data.passed, data.done_on, data.note)
    return elimination


async def record_notice(
    session: AsyncSession,
    principal: Principal,
    elimination_id: int,
    if_match: str | None,
    data: NoticeStep,
    rules: RuleSettings,
    today: date,
) -> Elimination:
    step = EliminationStep.notice
    elimination, earliest = await _begin_step(session, principal, elimination_id, if_match, step)
    _check_day("notice_from", data.notice_from, earliest, today)
    _check_day("notice_to", data.notice_to, data.notice_from, today)
    # Both ends count: a notice posted on the 1st and taken down after the 5th ran five days.
    days = (data.notice_to - data.notice_from).days + 1
    if data.passed and days < rules.notice_min_days:
        raise NoticeTooShort(
            days=days, notice_from=data.notice_from, notice_to=data.notice_to, minimum=rules.notice_min_days
        )
    _check_reason(data.passed, data.note)
    elimination.notice_from, elimination.notice_to = data.notice_from, data.notice_to
    await _record_step(
        session,
        principal,
        elimination,
        step,
        data.passed,
        data.notice_to,
        data.note,
        notice_from=data.notice_from,
        notice_to=data.notice_to,
    )
    return elimination


async def record_town_review(
    session: AsyncSession,
    principal: Principal,
    elimination_id: int,
    if_match: str | None,
    data: TownReviewStep,
    today: date,
) -> Elimination:
    """The town's review; the notice's last day is the earliest it may carry (the previous step's date)."""
    step = EliminationStep.town_review
    elimination, earliest = await _begin_step(session, principal, elimination_id, if_match, step)
    _check_day("done_on", data.done_on, earliest, today)
    _check_reason(data.passed, data.note)
    await _record_step(session, principal, elimination, step, data.passed, data.done_on, data.note)
    return elimination


async def record_approval(
    session: AsyncSession,
    principal: Principal,
    elimination_id: int,
    if_match: str | None,
    data: ApprovalStep,
    rules: RuleSettings,
    today: date,
) -> Elimination:
    step = EliminationStep.approval
    elimination, earliest = await _begin_step(session, principal, elimination_id, if_match, step)
    _check_day("decided_on", data.decided_on, earliest, today)
    _check_reason(data.approved, data.note)
    elimination.decided_on = data.decided_on
    if data.approved:
        await _eliminate(session, principal, elimination, data.decided_on, rules, today)
    await _record_step(session, principal, elimination, step, data.approved, data.decided_on, data.note)
    return elimination


async def _eliminate(
    session: AsyncSession,
    principal: Principal,
    elimination: Elimination,
    decided_on: date,
    rules: RuleSettings,
    today: date,
) -> None:
    """The subject is marked 风险消除 and a look-back is scheduled. Facts are checked again: weeks have passed.

    The category (its identification type) is kept, never rewritten to 一般农户 or 脱贫户: Household.at_risk turns
    false, which is what moves the household to the eliminated subjects' visit cadence and out of the at-risk lists.
    """
    household = await _require_household(session, principal, elimination.household_id)
    evaluation = evaluate(
        await _facts(session, household, today, rules),
        rules,
        risk_resolved=True,
        risk_note=elimination.risk_note,
        clearing_risk_causes=False,
    )
    _refuse_if_failed(household.id, evaluation)
    household.risk_eliminated_on = decided_on
    household.elimination_id = elimination.id
    elimination.category_after = household.category.value
    lookback = Lookback(
        household_id=household.id,
        region_code=household.region_code,
        due_on=add_months(decided_on, rules.elimination_lookback_after_months),
        reason=LOOKBACK_REASON.format(id=elimination.id),
        elimination_id=elimination.id,
    )
    session.add(lookback)
    await session.flush()
    await outbox.publish_change(
        session, Topic.household_changed, "household", household.id, household.region_code, "updated"
    )
    await outbox.publish_change(
        session, Topic.measure_changed, "lookback", lookback.id, lookback.region_code, "created"
    )


async def list_eliminations(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Elimination]:
    if (household_id := filters.get("household_id")) is not None:
        await _require_household(session, principal, household_id)
    return await repository.list_eliminations(session, principal, params, **filters)
