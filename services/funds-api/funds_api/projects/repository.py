"""Every query of the project library; region scoping is applied in the query itself."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from dixian_shared.regioncode import RegionLevel
from funds_api.models import COMMON
from funds_api.projects.enums import ChangeStatus, ProjectStatus, ProjectType
from funds_api.projects.models import Project, ProjectChange, ProjectReview, ProjectStep

REGION = COMMON.region


def scoped(principal: Principal) -> Select[Project]:
    return select(Project).where(in_scope(Project.region_code, principal))


async def get(session: AsyncSession, principal: Principal, project_id: int, *, lock: bool = False) -> Project | None:
    stmt = scoped(principal).where(Project.id == project_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)


async def region_level(session: AsyncSession, code: str) -> str | None:
    return await session.scalar(select(REGION.c.level).where(REGION.c.code == code))


async def list_projects(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    year: int | None = None,
    status: ProjectStatus | None = None,
    type: ProjectType | None = None,
    region_code: str | None = None,
    owner_department: str | None = None,
) -> Sequence[Project]:
    stmt = scoped(principal)
    if year is not None:
        stmt = stmt.where(Project.year == year)
    if status is not None:
        stmt = stmt.where(Project.status == status)
    if type is not None:
        stmt = stmt.where(Project.type == type)
    if region_code is not None:
        stmt = stmt.where(under_region(Project.region_code, regioncode.prefix(region_code)))
    if owner_department is not None:
        stmt = stmt.where(Project.owner_department == owner_department)
    return (await session.scalars(apply_keyset(stmt, [Project.id], params))).all()


async def steps(session: AsyncSession, project_id: int) -> Sequence[ProjectStep]:
    stmt = select(ProjectStep).where(ProjectStep.project_id == project_id).order_by(ProjectStep.id)
    return (await session.scalars(stmt)).all()


def _count(status: ProjectStatus) -> Any:
    return func.count().filter(Project.status == status)


async def library_by_town(session: AsyncSession, scope: str, year: int) -> Sequence[Row[*tuple[Any, ...]]]:
    """Every town in the region `scope` (a code prefix, as principal.region_prefix) with its counts of the year's
    projects by status (zeros included)."""
    counts = (
        select(
            Project.town_code,
            func.count().label("declared"),
            _count(ProjectStatus.awaiting_town).label("awaiting_town"),
            _count(ProjectStatus.awaiting_district).label("awaiting_district"),
            _count(ProjectStatus.approved).label("approved"),
            _count(ProjectStatus.returned).label("returned"),
            _count(ProjectStatus.refused).label("refused"),
        )
        .where(Project.year == year, under_region(Project.region_code, scope))
        .group_by(Project.town_code)
        .subquery()
    )
    zero = 0
    stmt = (
        select(
            REGION.c.code.label("town_code"),
            REGION.c.name.label("town_name"),
            *[
                func.coalesce(counts.c[name], zero).label(name)
                for name in ("declared", "awaiting_town", "awaiting_district", "approved", "returned", "refused")
            ],
        )
        .select_from(REGION.outerjoin(counts, counts.c.town_code == REGION.c.code))
        .where(REGION.c.level == RegionLevel.town.value)
        .order_by(REGION.c.code)
    )
    # A village user sees its own town's line (its own projects only); town and district users their towns.
    town_prefix = scope[:9]
    stmt = stmt.where(under_region(REGION.c.code, town_prefix))
    return (await session.execute(stmt)).all()


async def get_change(
    session: AsyncSession, principal: Principal, change_id: int, *, lock: bool = False
) -> ProjectChange | None:
    stmt = select(ProjectChange).where(ProjectChange.id == change_id, in_scope(ProjectChange.region_code, principal))
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)


async def pending_change(session: AsyncSession, project_id: int) -> ProjectChange | None:
    stmt = select(ProjectChange).where(
        ProjectChange.project_id == project_id, ProjectChange.status == ChangeStatus.pending
    )
    return await session.scalar(stmt)


async def list_changes(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    project_id: int | None = None,
    status: ChangeStatus | None = None,
) -> Sequence[ProjectChange]:
    stmt = select(ProjectChange).where(in_scope(ProjectChange.region_code, principal))
    if project_id is not None:
        stmt = stmt.where(ProjectChange.project_id == project_id)
    if status is not None:
        stmt = stmt.where(ProjectChange.status == status)
    return (await session.scalars(apply_keyset(stmt, [ProjectChange.id], params))).all()


async def reviews(session: AsyncSession, project_id: int) -> Sequence[ProjectReview]:
    stmt = select(ProjectReview).where(ProjectReview.project_id == project_id).order_by(ProjectReview.id)
    return (await session.scalars(stmt)).all()
