"""Every job-seeker and 131-service query; scoped by the labourer's village, in the query itself.

`missing_rows` is the one definition of "still missing a part of the 131 service": the list and the counts are both
made from it.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row, Select, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from employment_api.labourers import rows_naming
from employment_api.roster.models import Labourer
from employment_api.service131.enums import ServicePart
from employment_api.service131.models import JobSeeker, Service131


def _seekers(principal: Principal) -> Select[JobSeeker]:
    return (
        select(JobSeeker)
        .join(Labourer, Labourer.id == JobSeeker.labourer_id)
        .where(in_scope(Labourer.region_code, principal))
    )


async def get_seeker(session: AsyncSession, principal: Principal, seeker_id: int) -> JobSeeker | None:
    return await session.scalar(_seekers(principal).where(JobSeeker.id == seeker_id))


async def open_seeker_of(session: AsyncSession, labourer_id: int) -> JobSeeker | None:
    stmt = select(JobSeeker).where(JobSeeker.labourer_id == labourer_id, JobSeeker.closed_on.is_(None))
    return await session.scalar(stmt)


async def list_seekers(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    labourer_id: int | None = None,
    open_only: bool | None = None,
    region_code: str | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Registrations with the labourer's name, household and village (one row each)."""
    stmt = rows_naming(JobSeeker).where(in_scope(Labourer.region_code, principal))
    if labourer_id is not None:
        stmt = stmt.where(JobSeeker.labourer_id == labourer_id)
    if open_only is not None:
        stmt = stmt.where(JobSeeker.closed_on.is_(None) if open_only else JobSeeker.closed_on.is_not(None))
    if region_code is not None:
        stmt = stmt.where(under_region(Labourer.region_code, regioncode.prefix(region_code)))
    return (await session.execute(apply_keyset(stmt, [JobSeeker.id], params))).all()


async def earliest_service(session: AsyncSession, seeker_id: int) -> Any:
    return await session.scalar(select(func.min(Service131.served_on)).where(Service131.seeker_id == seeker_id))


def _services(principal: Principal) -> Select[Service131]:
    return (
        select(Service131)
        .join(JobSeeker, JobSeeker.id == Service131.seeker_id)
        .join(Labourer, Labourer.id == JobSeeker.labourer_id)
        .where(in_scope(Labourer.region_code, principal))
    )


async def get_service(session: AsyncSession, principal: Principal, service_id: int) -> Service131 | None:
    return await session.scalar(_services(principal).where(Service131.id == service_id))


async def list_services(
    session: AsyncSession, principal: Principal, seeker_id: int, params: PageParams
) -> Sequence[Service131]:
    stmt = _services(principal).where(Service131.seeker_id == seeker_id)
    return (await session.scalars(apply_keyset(stmt, [Service131.id], params))).all()


def missing_rows(
    required: Mapping[ServicePart, int], region_prefix: str, part: ServicePart | None = None
) -> Select[*tuple[Any, ...]]:
    """Open job seekers under the prefix, still on the roster, short of a part: done and missing counts per part,
    one row each. Someone who left the roster (died, lost capacity, moved away) is owed nothing more."""
    done = (
        select(
            Service131.seeker_id,
            *(func.count().filter(Service131.part == p).label(p.name) for p in ServicePart),
        )
        .group_by(Service131.seeker_id)
        .subquery()
    )
    done_of = {p: func.coalesce(done.c[p.name], 0) for p in ServicePart}
    missing_of: dict[ServicePart, ColumnElement[int]] = {
        p: func.greatest(literal(required[p]) - done_of[p], 0) for p in ServicePart
    }
    short = [missing_of[p] > 0 for p in ([part] if part is not None else list(ServicePart))]
    return (
        select(
            JobSeeker.id.label("seeker_id"),
            JobSeeker.labourer_id,
            JobSeeker.registered_on,
            Labourer.name,
            Labourer.household_id,
            Labourer.region_code,
            *(done_of[p].label(f"done_{p.name}") for p in ServicePart),
            *(missing_of[p].label(f"missing_{p.name}") for p in ServicePart),
        )
        .join(Labourer, Labourer.id == JobSeeker.labourer_id)
        .outerjoin(done, done.c.seeker_id == JobSeeker.id)
        .where(
            JobSeeker.closed_on.is_(None),
            Labourer.qualifies,
            under_region(Labourer.region_code, region_prefix),
            or_(*short),
        )
    )


async def list_missing(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    required: Mapping[ServicePart, int],
    *,
    region_prefix: str,
    part: ServicePart | None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    rows = missing_rows(required, region_prefix, part).where(in_scope(Labourer.region_code, principal)).subquery()
    stmt = select(rows)
    return (await session.execute(apply_keyset(stmt, [rows.c.seeker_id], params))).all()


async def count_missing(
    session: AsyncSession, principal: Principal, required: Mapping[ServicePart, int], *, region_prefix: str
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Per village: open job seekers short of any part, and of each part; the same rows as the list."""
    rows = missing_rows(required, region_prefix).where(in_scope(Labourer.region_code, principal)).subquery()
    stmt = (
        select(
            rows.c.region_code,
            func.count().label("seekers"),
            *(func.count().filter(rows.c[f"missing_{p.name}"] > 0).label(p.name) for p in ServicePart),
        )
        .group_by(rows.c.region_code)
        .order_by(rows.c.region_code)
    )
    return (await session.execute(stmt)).all()
