"""Every position and occupancy query; region scoping is applied in the query itself.

Positions are scoped by their place (a village reads its town's and district's positions too, see places.py);
occupancies by the labourer's village, so a person's jobs follow them when the roster moves them.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, and_, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from employment_api.jobs.enums import PositionKind
from employment_api.jobs.models import Occupancy, Position
from employment_api.labourers import rows_naming
from employment_api.places import readable
from employment_api.roster.models import Labourer


def overlaps(start_on: date, end_on: date | None) -> ColumnElement[bool]:
    """Occupancies sharing at least one day with [start_on, end_on] (None: open-ended)."""
    starts_in_time = literal(True) if end_on is None else Occupancy.start_on <= end_on
    return and_(starts_in_time, or_(Occupancy.end_on.is_(None), Occupancy.end_on >= start_on))


def held_on(day: date) -> ColumnElement[bool]:
    return overlaps(day, day)


async def get_position(
    session: AsyncSession, principal: Principal, position_id: int, *, for_write: bool = False
) -> Position | None:
    scope = in_scope(Position.region_code, principal) if for_write else readable(Position.region_code, principal)
    return await session.scalar(select(Position).where(Position.id == position_id, scope))


async def position_of(session: AsyncSession, position_id: int) -> Position:
    """The position of an occupancy already found in scope."""
    return (await session.scalars(select(Position).where(Position.id == position_id))).one()


async def list_positions(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    kind: PositionKind | None = None,
    region_code: str | None = None,
    open_on: date | None = None,
) -> Sequence[Position]:
    stmt = select(Position).where(readable(Position.region_code, principal))
    if kind is not None:
        stmt = stmt.where(Position.kind == kind)
    if region_code is not None:
        stmt = stmt.where(under_region(Position.region_code, regioncode.prefix(region_code)))
    if open_on is not None:
        stmt = stmt.where(
            Position.opened_on <= open_on, or_(Position.closed_on.is_(None), Position.closed_on >= open_on)
        )
    return (await session.scalars(apply_keyset(stmt, [Position.id], params))).all()


def _occupancies(principal: Principal) -> Select[Occupancy]:
    return (
        select(Occupancy)
        .join(Labourer, Labourer.id == Occupancy.labourer_id)
        .where(in_scope(Labourer.region_code, principal))
    )


async def get_occupancy(session: AsyncSession, principal: Principal, occupancy_id: int) -> Occupancy | None:
    return await session.scalar(_occupancies(principal).where(Occupancy.id == occupancy_id))


async def list_occupancies(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    position_id: int | None = None,
    labourer_id: int | None = None,
    kind: PositionKind | None = None,
    region_code: str | None = None,
    held_on_day: date | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Occupancies with the labourer's name, household and village (one row each)."""
    stmt = rows_naming(Occupancy).where(in_scope(Labourer.region_code, principal))
    if position_id is not None:
        stmt = stmt.where(Occupancy.position_id == position_id)
    if labourer_id is not None:
        stmt = stmt.where(Occupancy.labourer_id == labourer_id)
    if kind is not None:
        stmt = stmt.where(Occupancy.kind == kind)
    if region_code is not None:
        stmt = stmt.where(under_region(Labourer.region_code, regioncode.prefix(region_code)))
    if held_on_day is not None:
        stmt = stmt.where(held_on(held_on_day))
    return (await session.execute(apply_keyset(stmt, [Occupancy.id], params))).all()


async def first_overlap(
    session: AsyncSession,
    *,
    labourer_id: int,
    start_on: date,
    end_on: date | None,
    position_id: int | None = None,
    kind: PositionKind | None = None,
    other_than: int | None = None,
) -> Occupancy | None:
    """An occupancy of the labourer overlapping the period, in one position or of one kind (any region: the rule
    holds across villages, whoever asks)."""
    stmt = select(Occupancy).where(Occupancy.labourer_id == labourer_id, overlaps(start_on, end_on))
    if position_id is not None:
        stmt = stmt.where(Occupancy.position_id == position_id)
    if kind is not None:
        stmt = stmt.where(Occupancy.kind == kind)
    if other_than is not None:
        stmt = stmt.where(Occupancy.id != other_than)
    return await session.scalar(stmt.order_by(Occupancy.start_on).limit(1))


async def occupancy_outside(session: AsyncSession, position: Position) -> Occupancy | None:
    """An occupancy of the position that starts before it opens or runs past its closing day."""
    outside = Occupancy.start_on < position.opened_on
    if position.closed_on is not None:
        outside = or_(outside, Occupancy.end_on.is_(None), Occupancy.end_on > position.closed_on)
    stmt = select(Occupancy).where(Occupancy.position_id == position.id, outside)
    return await session.scalar(stmt.order_by(Occupancy.id).limit(1))
