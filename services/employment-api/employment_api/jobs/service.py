"""Business rules of positions and occupancies. Takes the session first; flushes, never commits."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from dixian_shared.pagination import PageParams
from employment_api import labourers
from employment_api.jobs import repository
from employment_api.jobs.enums import PositionKind
from employment_api.jobs.errors import (
    OutsidePosition,
    PositionClosesTooEarly,
    SamePositionTwice,
    TwoPublicWelfarePositions,
)
from employment_api.jobs.models import Occupancy, Position
from employment_api.jobs.schemas import OccupancyCreate, OccupancyUpdate, PositionCreate, PositionUpdate
from employment_api.places import check_place
from employment_api.problems import PeriodOrder, flush_guarded


def _period(start_on: date | None, end_on: date | None) -> str:
    return f"{start_on} 至 {end_on or '今'}"


async def require_position(
    session: AsyncSession, principal: Principal, position_id: int, *, for_write: bool = False
) -> Position:
    position = await repository.get_position(session, principal, position_id, for_write=for_write)
    if position is None:
        raise NotFound(entity="position", key=position_id)
    return position


async def create_position(session: AsyncSession, principal: Principal, data: PositionCreate) -> Position:
    await check_place(session, principal, data.region_code)
    if data.closed_on is not None and data.closed_on < data.opened_on:
        raise PeriodOrder(entity="岗位", start_on=data.opened_on, end_on=data.closed_on)
    position = Position(**data.model_dump())
    session.add(position)
    await session.flush()
    return position


async def update_position(
    session: AsyncSession, principal: Principal, position_id: int, if_match: str | None, data: PositionUpdate
) -> Position:
    position = await require_position(session, principal, position_id, for_write=True)
    check_version(if_match, position.version)
    changes = data.model_dump(exclude_unset=True)
    for field in ("name", "employer", "opened_on"):
        if field in changes and changes[field] is None:
            raise InvalidField(f"body.{field}", "may be changed but not removed", "可以修改，但不能清空")
    for field, value in changes.items():
        setattr(position, field, value)
    if position.closed_on is not None and position.closed_on < position.opened_on:
        raise PeriodOrder(entity="岗位", start_on=position.opened_on, end_on=position.closed_on)
    if (outside := await repository.occupancy_outside(session, position)) is not None:
        raise PositionClosesTooEarly(
            occupancy_id=outside.id,
            start_on=outside.start_on,
            end_on=outside.end_on or "今",
            period=_period(position.opened_on, position.closed_on),
        )
    await session.flush()
    return position


async def list_positions(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Position]:
    return await repository.list_positions(session, principal, params, **filters)


async def _check_occupancy(session: AsyncSession, position: Position, occupancy: Occupancy) -> None:
    """The rules an occupancy obeys whatever changed; the overlap rules are also database constraints."""
    if occupancy.end_on is not None and occupancy.end_on < occupancy.start_on:
        raise PeriodOrder(entity="在岗期间", start_on=occupancy.start_on, end_on=occupancy.end_on)
    closes = position.closed_on
    if occupancy.start_on < position.opened_on or (
        closes is not None and (occupancy.end_on is None or occupancy.end_on > closes)
    ):
        raise OutsidePosition(
            opened_on=position.opened_on,
            closed_on=closes or "今",
            start_on=occupancy.start_on,
            end_on=occupancy.end_on or "今",
        )
    labourer_id, start_on, end_on, other = occupancy.labourer_id, occupancy.start_on, occupancy.end_on, occupancy.id
    same = await repository.first_overlap(
        session, labourer_id=labourer_id, start_on=start_on, end_on=end_on, position_id=position.id, other_than=other
    )
    if same is not None:
        raise _same_position(occupancy, same)
    if position.kind == PositionKind.public_welfare:
        held = await repository.first_overlap(
            session,
            labourer_id=labourer_id,
            start_on=start_on,
            end_on=end_on,
            kind=PositionKind.public_welfare,
            other_than=other,
        )
        if held is not None:
            raise _two_positions(occupancy, held)


def _same_position(occupancy: Occupancy, held: Occupancy | None) -> SamePositionTwice:
    return SamePositionTwice(
        labourer_id=occupancy.labourer_id,
        position_id=occupancy.position_id,
        held=_period(held.start_on, held.end_on) if held else "并发提交",
    )


def _two_positions(occupancy: Occupancy, held: Occupancy | None) -> TwoPublicWelfarePositions:
    where = f"岗位 {held.position_id}，{_period(held.start_on, held.end_on)}" if held else "并发提交"
    return TwoPublicWelfarePositions(labourer_id=occupancy.labourer_id, held=where)


async def _flush_occupancy(session: AsyncSession, occupancy: Occupancy) -> None:
    await flush_guarded(
        session,
        {
            "one_public_welfare_position_at_a_time": _two_positions(occupancy, None),
            "one_occupancy_per_position_and_day": _same_position(occupancy, None),
        },
        occupancy,
    )


async def add_occupancy(
    session: AsyncSession, principal: Principal, position_id: int, data: OccupancyCreate
) -> Occupancy:
    position = await require_position(session, principal, position_id)
    labourer = await labourers.require_on_roster(session, principal, data.labourer_id)
    occupancy = Occupancy(
        position_id=position.id, labourer_id=labourer.id, kind=position.kind, **data.model_dump(exclude={"labourer_id"})
    )
    await _check_occupancy(session, position, occupancy)
    await _flush_occupancy(session, occupancy)
    return occupancy


async def require_occupancy(session: AsyncSession, principal: Principal, occupancy_id: int) -> Occupancy:
    occupancy = await repository.get_occupancy(session, principal, occupancy_id)
    if occupancy is None:
        raise NotFound(entity="occupancy", key=occupancy_id)
    return occupancy


async def update_occupancy(
    session: AsyncSession, principal: Principal, occupancy_id: int, if_match: str | None, data: OccupancyUpdate
) -> Occupancy:
    occupancy = await require_occupancy(session, principal, occupancy_id)
    check_version(if_match, occupancy.version)
    changes = data.model_dump(exclude_unset=True)
    if "start_on" in changes and changes["start_on"] is None:
        raise InvalidField("body.start_on", "may be changed but not removed", "可以修改，但不能清空")
    for field, value in changes.items():
        setattr(occupancy, field, value)
    # The occupancy is the caller's (their labourer); its position may sit at a place they do not read.
    position = await repository.position_of(session, occupancy.position_id)
    await _check_occupancy(session, position, occupancy)
    await _flush_occupancy(session, occupancy)
    return occupancy


async def list_occupancies(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Row[*tuple[Any, ...]]]:
    return await repository.list_occupancies(session, principal, params, **filters)


async def list_position_occupancies(
    session: AsyncSession, principal: Principal, position_id: int, params: PageParams
) -> Sequence[Row[*tuple[Any, ...]]]:
    await require_position(session, principal, position_id)
    return await repository.list_occupancies(session, principal, params, position_id=position_id)
