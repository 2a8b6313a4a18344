"""Disbursement rates as of a day by district, town, department, fund source and project — all built on
measure.figures/rate/below and the milestone in view (milestones.standing)."""

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, Select, String, case, cast, func, literal, select, tuple_, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared.pagination import PageParams, apply_keyset
from funds_api.disbursement.measure import below, figures, in_region, money, rate
from funds_api.disbursement.milestones import Standing
from funds_api.disbursement.schemas import ProjectRate, RateRow
from funds_api.models import COMMON
from funds_api.projects.models import Project
from funds_api.sources.models import FundSource

REGION = COMMON.region


class Level(StrEnum):
    district = "district"
    town = "town"
    department = "department"
    fund_source = "fund_source"


def _aggregate(
    rows: Any, sets: Sequence[tuple[Level, ColumnElement[Any] | None]], standing: Standing
) -> Select[*tuple[Any, ...]]:
    """(level, key, allocated, paid, rate, meets_target, projects, lagging, missed) per group of each set — a set
    is a level and its column, None for the district's one group — over rows of one project (or one project and
    fund source) each: hashed GROUPING SETS, no sort of the rows."""
    columns = [column for _, column in sets if column is not None]
    district: ColumnElement[str] = literal(Level.district.value)
    whens = [(func.grouping(column) == 0, literal(level.value)) for level, column in sets if column is not None]
    level_of = case(*whens, else_=district) if whens else district
    key_of = func.coalesce(*columns, literal("all")) if columns else literal("all")
    allocated, paid = func.sum(rows.c.allocated), func.sum(rows.c.paid)
    grouping = [tuple_(column) if column is not None else tuple_() for _, column in sets]
    return select(
        level_of.label("level"),
        key_of.label("key"),
        allocated.label("allocated"),
        paid.label("paid"),
        rate(paid, allocated).label("rate"),
        (~below(paid, allocated, standing.target_rate)).label("meets_target"),
        func.count().label("projects"),
        func.count().filter(below(rows.c.paid, rows.c.allocated, standing.target_rate)).label("lagging"),
        func.count().filter(below(rows.c.paid, rows.c.allocated, standing.passed_rate)).label("missed"),
    ).group_by(func.grouping_sets(*grouping))


async def grouped(
    session: AsyncSession,
    scope: str,
    levels: Sequence[Level],
    standing: Standing,
    *,
    region_code: str | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    """(level, key, allocated, paid, rate, meets_target, projects, lagging, missed) per group of each level, in one
    statement: the running totals are read per project (and per project and fund source for that level), one row
    each, and grouped by hashing."""
    per_project = figures(standing.on, standing.year, scope, region_code, by_source=False).subquery("per_project")
    dimensions = {Level.town: per_project.c.town_code, Level.department: per_project.c.owner_department}
    sets: list[tuple[Level, ColumnElement[Any] | None]] = [
        (level, dimensions[level]) for level in levels if level in dimensions
    ]
    if Level.district in levels:
        sets.append((Level.district, None))
    parts = [_aggregate(per_project, sets, standing)] if sets else []
    if Level.fund_source in levels:
        lines = figures(standing.on, standing.year, scope, region_code).subquery("by_source")
        parts.append(_aggregate(lines, [(Level.fund_source, cast(lines.c.fund_source_id, String))], standing))
    everything = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("rollup")
    # The district's grouping set () answers one row of NULL sums when no project has money: rows() makes it empty.
    found = select(everything).where(everything.c.projects > 0).order_by(everything.c.level, everything.c.key)
    return (await session.execute(found)).all()


async def labels(session: AsyncSession, level: Level, keys: Sequence[str]) -> dict[str, str]:
    if level is Level.town:
        rows = await session.execute(select(REGION.c.code, REGION.c.name).where(REGION.c.code.in_(keys)))
        return {code: name for code, name in rows.all()}
    if level is Level.fund_source:
        ids = [int(k) for k in keys]
        sources = await session.execute(
            select(FundSource.id, FundSource.level, FundSource.document_number).where(FundSource.id.in_(ids))
        )
        return {str(i): f"{lvl}·{doc}" for i, lvl, doc in sources.all()}
    if level is Level.district:
        return {"all": "全区"}
    return {k: k for k in keys}


def rate_row(row: Row[*tuple[Any, ...]], label: str) -> RateRow:
    return RateRow(
        key=row.key,
        label=label,
        allocated=row.allocated,
        paid=row.paid,
        rate=row.rate,
        meets_target=row.meets_target,
        projects=row.projects,
        lagging=row.lagging,
        missed=row.missed,
    )


def empty_row(key: str, label: str) -> RateRow:
    zero = Decimal("0.00")
    return RateRow(
        key=key, label=label, allocated=zero, paid=zero, rate=None, meets_target=True, projects=0, lagging=0, missed=0
    )


async def rows(
    session: AsyncSession,
    scope: str,
    levels: Sequence[Level],
    standing: Standing,
    *,
    region_code: str | None = None,
) -> dict[Level, list[RateRow]]:
    """Each level's rows; the district level is always one row (empty when nothing is allocated)."""
    found = await grouped(session, scope, [*levels, Level.district], standing, region_code=region_code)
    result: dict[Level, list[RateRow]] = {}
    for level in levels:
        mine = [r for r in found if r.level == level.value]
        names = await labels(session, level, [r.key for r in mine])
        result[level] = [rate_row(r, names.get(r.key, r.key)) for r in mine]
    if Level.district in levels and not result[Level.district]:
        result[Level.district] = [empty_row("all", "全区")]
    return result


async def projects(
    session: AsyncSession,
    scope: str,
    standing: Standing,
    params: PageParams | None,
    *,
    region_code: str | None = None,
    lagging_only: bool = False,
    missed_only: bool = False,
) -> list[ProjectRate]:
    """A keyset page of the year's projects with their rate (every one when params is None, for reports);
    optionally only those lagging or past a milestone."""
    conditions = [Project.year == standing.year, *in_region(Project.region_code, scope, region_code)]
    only = None
    if params is not None and not (lagging_only or missed_only):
        only = (await session.scalars(apply_keyset(select(Project.id).where(*conditions), [Project.id], params))).all()
        conditions = [Project.id.in_(only)]
    per_project = money(standing.on, standing.year, by_source=False, only=only).subquery("per_project")
    zero = literal(Decimal("0.00"))
    allocated = func.coalesce(per_project.c.allocated, zero)
    paid = func.coalesce(per_project.c.paid, zero)
    stmt = select(
        Project.id,
        Project.name,
        Project.region_code,
        Project.town_code,
        Project.owner_department,
        allocated.label("allocated"),
        paid.label("paid"),
        rate(paid, allocated).label("rate"),
        below(paid, allocated, standing.target_rate).label("lagging"),
        below(paid, allocated, standing.passed_rate).label("missed"),
    ).select_from(Project.__table__.outerjoin(per_project, per_project.c.project_id == Project.id))
    stmt = stmt.where(*conditions)
    if lagging_only:
        stmt = stmt.where(below(paid, allocated, standing.target_rate))
    if missed_only:
        stmt = stmt.where(below(paid, allocated, standing.passed_rate))
    stmt = apply_keyset(stmt, [Project.id], params) if params is not None else stmt.order_by(Project.id)
    return [
        ProjectRate(
            project_id=r.id,
            name=r.name,
            region_code=r.region_code,
            town_code=r.town_code,
            owner_department=r.owner_department,
            allocated=r.allocated,
            paid=r.paid,
            rate=r.rate,
            lagging=r.lagging,
            missed=r.missed,
        )
        for r in (await session.execute(stmt)).all()
    ]
