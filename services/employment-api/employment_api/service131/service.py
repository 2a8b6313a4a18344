"""Business rules of job-seeker registrations and 131 services. Takes the session first; flushes, never commits."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from dixian_shared.pagination import PageParams
from employment_api import labourers
from employment_api.problems import NotInFuture, flush_guarded
from employment_api.rules import RuleSettings
from employment_api.service131 import repository
from employment_api.service131.enums import ServicePart
from employment_api.service131.errors import AlreadySeeking, BeforeRegistration, SeekerClosed
from employment_api.service131.models import JobSeeker, Service131
from employment_api.service131.schemas import (
    MissingCount,
    MissingService,
    MissingSummary,
    SeekerClose,
    SeekerCreate,
    SeekerUpdate,
    ServiceCreate,
    ServiceUpdate,
)


def required_parts(rules: RuleSettings) -> dict[ServicePart, int]:
    """The "1-3-1" of the plan, as configured."""
    return {
        ServicePart.guidance: rules.service131_guidance,
        ServicePart.referral: rules.service131_referrals,
        ServicePart.training: rules.service131_training,
    }


def _not_after_today(field: str, value: date, today: date) -> None:
    if value > today:
        raise NotInFuture(field=field, value=value, today=today)


async def register(session: AsyncSession, principal: Principal, data: SeekerCreate, today: date) -> JobSeeker:
    labourer = await labourers.require_on_roster(session, principal, data.labourer_id)
    _not_after_today("registered_on", data.registered_on, today)
    if (current := await repository.open_seeker_of(session, labourer.id)) is not None:
        raise AlreadySeeking(labourer_id=labourer.id, seeker_id=current.id)
    seeker = JobSeeker(**data.model_dump())
    await flush_guarded(session, {"uq_job_seeker_open": AlreadySeeking(labourer_id=labourer.id, seeker_id="-")}, seeker)
    return seeker


async def require_seeker(session: AsyncSession, principal: Principal, seeker_id: int) -> JobSeeker:
    seeker = await repository.get_seeker(session, principal, seeker_id)
    if seeker is None:
        raise NotFound(entity="job seeker", key=seeker_id)
    return seeker


async def _check_registered_on(session: AsyncSession, seeker: JobSeeker) -> None:
    first = await repository.earliest_service(session, seeker.id)
    if first is not None and first < seeker.registered_on:
        raise BeforeRegistration(field="served_on", value=first, registered_on=seeker.registered_on)
    if seeker.closed_on is not None and seeker.closed_on < seeker.registered_on:
        raise BeforeRegistration(field="closed_on", value=seeker.closed_on, registered_on=seeker.registered_on)


async def update_seeker(
    session: AsyncSession, principal: Principal, seeker_id: int, if_match: str | None, data: SeekerUpdate, today: date
) -> JobSeeker:
    seeker = await require_seeker(session, principal, seeker_id)
    check_version(if_match, seeker.version)
    changes = data.model_dump(exclude_unset=True)
    if "registered_on" in changes:
        if changes["registered_on"] is None:
            raise InvalidField("body.registered_on", "may be changed but not removed", "可以修改，但不能清空")
        _not_after_today("registered_on", changes["registered_on"], today)
    for field, value in changes.items():
        setattr(seeker, field, value)
    await _check_registered_on(session, seeker)
    await session.flush()
    return seeker


async def close(
    session: AsyncSession, principal: Principal, seeker_id: int, if_match: str | None, data: SeekerClose, today: date
) -> JobSeeker:
    seeker = await require_seeker(session, principal, seeker_id)
    check_version(if_match, seeker.version)
    if seeker.closed_on is not None:
        raise SeekerClosed(seeker_id=seeker.id, closed_on=seeker.closed_on)
    _not_after_today("closed_on", data.closed_on, today)
    seeker.closed_on, seeker.outcome = data.closed_on, data.outcome
    await _check_registered_on(session, seeker)
    await session.flush()
    return seeker


async def list_seekers(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Row[*tuple[Any, ...]]]:
    return await repository.list_seekers(session, principal, params, **filters)


def _check_service(seeker: JobSeeker, served_on: date, today: date) -> None:
    _not_after_today("served_on", served_on, today)
    if served_on < seeker.registered_on:
        raise BeforeRegistration(field="served_on", value=served_on, registered_on=seeker.registered_on)


async def add_service(
    session: AsyncSession, principal: Principal, seeker_id: int, data: ServiceCreate, today: date
) -> Service131:
    seeker = await require_seeker(session, principal, seeker_id)
    if seeker.closed_on is not None:
        raise SeekerClosed(seeker_id=seeker.id, closed_on=seeker.closed_on)
    _check_service(seeker, data.served_on, today)
    service = Service131(seeker_id=seeker.id, recorded_by=principal.subject, **data.model_dump())
    session.add(service)
    await session.flush()
    return service


async def require_service(session: AsyncSession, principal: Principal, service_id: int) -> Service131:
    service = await repository.get_service(session, principal, service_id)
    if service is None:
        raise NotFound(entity="131 service", key=service_id)
    return service


async def update_service(
    session: AsyncSession,
    principal: Principal,
    service_id: int,
    if_match: str | None,
    data: ServiceUpdate,
    today: date,
) -> Service131:
    service = await require_service(session, principal, service_id)
    check_version(if_match, service.version)
    changes = data.model_dump(exclude_unset=True)
    for field in ("served_on", "served_by"):
        if field in changes and changes[field] is None:
            raise InvalidField(f"body.{field}", "may be changed but not removed", "可以修改，但不能清空")
    for field, value in changes.items():
        setattr(service, field, value)
    seeker = await require_seeker(session, principal, service.seeker_id)
    _check_service(seeker, service.served_on, today)
    await session.flush()
    return service


async def list_services(
    session: AsyncSession, principal: Principal, seeker_id: int, params: PageParams
) -> Sequence[Service131]:
    await require_seeker(session, principal, seeker_id)
    return await repository.list_services(session, principal, seeker_id, params)


def missing_of(row: Row[*tuple[Any, ...]]) -> MissingService:
    mapping = row._mapping
    return MissingService(
        seeker_id=row.seeker_id,
        labourer_id=row.labourer_id,
        name=row.name,
        household_id=row.household_id,
        region_code=row.region_code,
        registered_on=row.registered_on,
        done={p: mapping[f"done_{p.name}"] for p in ServicePart},
        missing={p: mapping[f"missing_{p.name}"] for p in ServicePart if mapping[f"missing_{p.name}"] > 0},
    )


async def list_missing(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    rules: RuleSettings,
    *,
    region_prefix: str,
    part: ServicePart | None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    return await repository.list_missing(
        session, principal, params, required_parts(rules), region_prefix=region_prefix, part=part
    )


async def missing_summary(
    session: AsyncSession, principal: Principal, rules: RuleSettings, *, region_code: str
) -> MissingSummary:
    rows = await repository.count_missing(
        session, principal, required_parts(rules), region_prefix=regioncode.prefix(region_code)
    )
    villages = [
        MissingCount(
            region_code=row.region_code,
            seekers=row.seekers,
            by_part={p: row._mapping[p.name] for p in ServicePart},
        )
        for row in rows
    ]
    total = MissingCount(
        region_code=region_code,
        seekers=sum(v.seekers for v in villages),
        by_part={p: sum(v.by_part[p] for v in villages) for p in ServicePart},
    )
    return MissingSummary(total=total, villages=villages)
