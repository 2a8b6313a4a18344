"""Opening and reading inclusion cases. Takes the session first; flushes, never commits."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, Role
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from monitoring_api.households import service as households
from monitoring_api.households.enums import HouseholdStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.inclusion import repository
from monitoring_api.inclusion.enums import CaseStatus, Channel, Step, SubjectKind
from monitoring_api.inclusion.errors import (
    AlreadySubject,
    CaseInProgress,
    HouseholdNotActive,
    NoticeNotRecorded,
    OpenRoleForbidden,
    StepDate,
)
from monitoring_api.inclusion.models import CaseStep, InclusionCase
from monitoring_api.inclusion.schemas import CaseCreate
from monitoring_api.rules import RuleSettings

OPENERS = frozenset({Role.village, Role.town, Role.district})


async def require_case(
    session: AsyncSession, principal: Principal, case_id: int, *, with_steps: bool = False
) -> InclusionCase:
    case = await repository.get_case(session, principal, case_id, with_steps=with_steps)
    if case is None:
        raise NotFound(entity="inclusion case", key=case_id)
    return case


def check_active(household: Household) -> None:
    if household.status == HouseholdStatus.dissolved:
        raise HouseholdNotActive(household_id=household.id, rule="no-work-on-dissolved-household")


def check_not_subject(household: Household) -> None:
    """A subject at risk is not included twice; one marked 风险消除 is, when a new risk appears."""
    if household.at_risk:
        raise AlreadySubject(
            household_id=household.id, category=household.category, rule="no-case-for-monitoring-subject"
        )


def actor_name(principal: Principal, given: str | None) -> str:
    return given or (principal.name or principal.subject)[:50]


async def _open(
    session: AsyncSession,
    principal: Principal,
    household: Household,
    *,
    channel: Channel,
    clue_date: date,
    clue_note: str | None = None,
    subject_kind: SubjectKind | None = None,
    risk_causes: Sequence[str] = (),
    assessment_id: int | None = None,
) -> InclusionCase:
    case = InclusionCase(
        household_id=household.id,
        region_code=household.region_code,
        channel=channel,
        clue_date=clue_date,
        clue_note=clue_note,
        subject_kind=subject_kind,
        risk_causes=list(risk_causes),
        assessment_id=assessment_id,
        stage=Step.clue,
        status=CaseStatus.open,
        opened_by=principal.subject,
    )
    session.add(case)
    await session.flush()
    # The clue is the first entry of the history, so the record shows who raised it, when and why.
    session.add(
        CaseStep(
            case_id=case.id,
            step=Step.clue,
            taken_on=clue_date,
            actor=principal.subject,
            actor_name=actor_name(principal, None),
            actor_role=str(principal.role),
            result=channel.value,
            note=clue_note,
        )
    )
    await session.flush()
    return case


async def open_case(session: AsyncSession, principal: Principal, data: CaseCreate, today: date) -> InclusionCase:
    if principal.role not in OPENERS:
        raise OpenRoleForbidden(role=principal.role, rule="case-opened-by-staff")
    household = await households.require_household(session, principal, data.household_id)
    check_active(household)
    check_not_subject(household)
    if data.clue_date > today:
        raise StepDate(
            what="clue_date", value=data.clue_date, earliest="any past day", today=today, rule="clue-date-not-future"
        )
    existing = await repository.open_case_of(session, household.id)
    if existing is not None:
        raise CaseInProgress(household_id=household.id, case_id=existing.id)
    return await _open(session, principal, household, **data.model_dump(exclude={"household_id"}))


async def open_from_assessment(
    session: AsyncSession,
    principal: Principal,
    household: Household,
    assessment_id: int,
    clue_date: date,
    risk_causes: Sequence[str],
) -> InclusionCase | None:
    """纳入监测 at a monthly assessment opens a case by cadre screening, unless one is already in progress."""
    if await repository.open_case_of(session, household.id) is not None:
        return None
    return await _open(
        session,
        principal,
        household,
        channel=Channel.cadre_screening,
        clue_date=clue_date,
        clue_note=f"月度研判 {assessment_id}: 纳入监测",
        risk_causes=risk_causes,
        assessment_id=assessment_id,
    )


async def case_from_assessment(session: AsyncSession, assessment_id: int) -> InclusionCase | None:
    return await repository.case_from_assessment(session, assessment_id)


async def list_cases(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    region_code: str | None = None,
    household_id: int | None = None,
    status: CaseStatus | None = None,
) -> Sequence[InclusionCase]:
    return await repository.list_cases(
        session, principal, params, region_code=region_code, household_id=household_id, status=status
    )


async def list_late(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    today: date,
    rules: RuleSettings,
    region_code: str | None = None,
    status: CaseStatus | None = None,
) -> Sequence[InclusionCase]:
    return await repository.list_late(
        session, principal, params, today=today, rules=rules, region_code=region_code, status=status
    )


@dataclass(frozen=True)
class NoticeData:
    case: InclusionCase
    household: Household
    members: Sequence[Member]
    notice: CaseStep
    village_name: str | None


async def notice_of(session: AsyncSession, principal: Principal, case_id: int) -> NoticeData:
    case = await require_case(session, principal, case_id)
    notice = await repository.last_step(session, case.id, Step.notice)
    if notice is None:
        raise NoticeNotRecorded(case_id=case.id, rule="notice-after-appraisal")
    household = await households.require_household(session, principal, case.household_id)
    members = await repository.active_members(session, household.id)
    village_name = await repository.region_name(session, case.region_code)
    return NoticeData(case, household, members, notice, village_name)
