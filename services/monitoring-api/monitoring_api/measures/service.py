"""Business rules of measures and look-backs. Takes the session first; flushes, never commits."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import outbox
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.contracts import Topic
from dixian_shared.errors import InvalidField, NotFound
from dixian_shared.pagination import PageParams
from monitoring_api.households import repository as households
from monitoring_api.households.enums import HouseholdStatus
from monitoring_api.households.models import Household
from monitoring_api.measures import repository
from monitoring_api.measures.enums import STATUS_TRANSITIONS, SUB_TYPES, FlagReason, MeasureStatus
from monitoring_api.measures.errors import (
    DueNotInPast,
    HouseholdNotActive,
    LookbackAlreadyRecorded,
    MeasurePeriod,
    NotInFuture,
    ResultsRequired,
    StatusTransition,
    SubTypeNotInCategory,
)
from monitoring_api.measures.models import Lookback, Measure
from monitoring_api.measures.schemas import (
    FlaggedHousehold,
    LookbackCreate,
    LookbackRecord,
    MeasureCreate,
    MeasureUpdate,
)

REQUIRED_ON_UPDATE = ("owner", "start_on", "status")


async def require_active_household(session: AsyncSession, principal: Principal, household_id: int) -> Household:
    household = await households.get_household(session, principal, household_id)
    if household is None:
        raise NotFound(entity="household", key=household_id)
    if household.status != HouseholdStatus.active:
        raise HouseholdNotActive(household_id=household_id, status=household.status)
    return household


async def require_household(session: AsyncSession, principal: Principal, household_id: int) -> Household:
    household = await households.get_household(session, principal, household_id)
    if household is None:
        raise NotFound(entity="household", key=household_id)
    return household


async def require_measure(session: AsyncSession, principal: Principal, measure_id: int) -> Measure:
    measure = await repository.get_measure(session, principal, measure_id)
    if measure is None:
        raise NotFound(entity="measure", key=measure_id)
    return measure


def _check_measure(measure: Measure) -> None:
    """The rules a measure obeys whatever changed: sub-type of its category, period, results when completed."""
    allowed = SUB_TYPES[measure.category]
    if measure.sub_type is not None and measure.sub_type not in allowed:
        raise SubTypeNotInCategory(
            sub_type=measure.sub_type, category=measure.category, allowed="、".join(sorted(allowed))
        )
    if measure.end_on is not None and measure.end_on < measure.start_on:
        raise MeasurePeriod(start_on=measure.start_on, end_on=measure.end_on)
    if measure.status == MeasureStatus.completed and not measure.results:
        raise ResultsRequired()


async def create_measure(
    session: AsyncSession, principal: Principal, household_id: int, data: MeasureCreate
) -> Measure:
    household = await require_active_household(session, principal, household_id)
    measure = Measure(household_id=household.id, region_code=household.region_code, **data.model_dump())
    _check_measure(measure)
    session.add(measure)
    await session.flush()
    await outbox.publish_change(session, Topic.measure_changed, "measure", measure.id, measure.region_code, "created")
    return measure


async def update_measure(
    session: AsyncSession, principal: Principal, measure_id: int, if_match: str | None, data: MeasureUpdate
) -> Measure:
    measure = await require_measure(session, principal, measure_id)
    check_version(if_match, measure.version)
    changes = data.model_dump(exclude_unset=True)
    for field in REQUIRED_ON_UPDATE:
        if field in changes and changes[field] is None:
            raise InvalidField(f"body.{field}", "may be changed but not removed", "可以修改，不能删除")
    wanted = changes.get("status")
    if wanted is not None and wanted != measure.status and wanted not in STATUS_TRANSITIONS[measure.status]:
        raise StatusTransition(current=measure.status, wanted=wanted)
    for field, value in changes.items():
        setattr(measure, field, value)
    _check_measure(measure)
    await session.flush()
    await outbox.publish_change(session, Topic.measure_changed, "measure", measure.id, measure.region_code, "updated")
    return measure


async def list_measures(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Measure]:
    return await repository.list_measures(session, principal, params, **filters)


async def list_household_measures(
    session: AsyncSession, principal: Principal, household_id: int, params: PageParams
) -> Sequence[Measure]:
    await require_household(session, principal, household_id)
    return await repository.list_measures(session, principal, params, household_id=household_id)


def flag_of(row: Row[*tuple[Any, ...]]) -> FlaggedHousehold:
    reasons = [FlagReason.no_development_measure] if row.late else []
    if row.only_guarantee:
        reasons.append(FlagReason.only_comprehensive_guarantee)
    return FlaggedHousehold(
        household_id=row.household_id,
        region_code=row.region_code,
        head_name=row.head_name,
        category=row.category,
        included_on=row.included_on,
        development_due_on=row.development_due_on,
        reasons=reasons,
    )


async def flagged_households(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    today: date,
    within_months: int,
    region_code: str | None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    return await repository.flagged_households(
        session, principal, params, today=today, within_months=within_months, region_code=region_code
    )


async def schedule_lookback(
    session: AsyncSession,
    principal: Principal,
    household_id: int,
    data: LookbackCreate,
    today: date,
    *,
    elimination_id: int | None = None,
) -> Lookback:
    household = await require_active_household(session, principal, household_id)
    if data.due_on < today:
        raise DueNotInPast(due_on=data.due_on, today=today)
    lookback = Lookback(
        household_id=household.id,
        region_code=household.region_code,
        due_on=data.due_on,
        reason=data.reason,
        elimination_id=elimination_id,
    )
    session.add(lookback)
    await session.flush()
    await outbox.publish_change(
        session, Topic.measure_changed, "lookback", lookback.id, lookback.region_code, "created"
    )
    return lookback


async def require_lookback(session: AsyncSession, principal: Principal, lookback_id: int) -> Lookback:
    lookback = await repository.get_lookback(session, principal, lookback_id)
    if lookback is None:
        raise NotFound(entity="lookback", key=lookback_id)
    return lookback


async def record_lookback(
    session: AsyncSession, principal: Principal, lookback_id: int, data: LookbackRecord, today: date
) -> Lookback:
    lookback = await require_lookback(session, principal, lookback_id)
    if lookback.done_on is not None:
        raise LookbackAlreadyRecorded(lookback_id=lookback.id, done_on=lookback.done_on)
    if data.done_on > today:
        raise NotInFuture(field="done_on", value=data.done_on, today=today)
    lookback.done_on = data.done_on
    lookback.findings = data.findings
    lookback.measures_effective = data.measures_effective
    lookback.recorded_by = principal.subject
    await session.flush()
    await outbox.publish_change(
        session, Topic.measure_changed, "lookback", lookback.id, lookback.region_code, "recorded"
    )
    return lookback


async def list_lookbacks(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Lookback]:
    return await repository.list_lookbacks(session, principal, params, **filters)


async def list_household_lookbacks(
    session: AsyncSession, principal: Principal, household_id: int, params: PageParams
) -> Sequence[Lookback]:
    await require_household(session, principal, household_id)
    return await repository.list_lookbacks(session, principal, params, household_id=household_id)
