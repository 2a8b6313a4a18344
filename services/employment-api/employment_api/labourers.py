"""The roster's labourers as the other employment domains see them: found in the caller's region or not at all, and
named in the lists of records about them."""

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, in_scope
from dixian_shared.errors import NotFound
from employment_api.models import Base
from employment_api.problems import NotOnRoster
from employment_api.roster.models import Labourer

# What a list shows of the labourer an item is about (roster/schemas.Named and Person), in the list's own query.
NAMED = (Labourer.name,)
PERSON = (Labourer.name, Labourer.household_id, Labourer.region_code)


def rows_naming(model: type[Base], person: tuple[Any, ...] = PERSON) -> Select[*tuple[Any, ...]]:
    """Every column of a record about a labourer, flat, with the labourer's `person` columns: one row per record,
    the roster joined once by the list's own query (never a lookup per row). The caller scopes it with
    in_scope(Labourer.region_code), as the record's other queries are scoped."""
    table = model.__table__
    return select(*table.c, *person).join(Labourer, Labourer.id == table.c.labourer_id)


async def get_labourer(session: AsyncSession, principal: Principal, labourer_id: int) -> Labourer | None:
    stmt = select(Labourer).where(Labourer.id == labourer_id, in_scope(Labourer.region_code, principal))
    return await session.scalar(stmt)


async def require_labourer(session: AsyncSession, principal: Principal, labourer_id: int) -> Labourer:
    """The labourer if the caller's region holds them; a 404 otherwise, never revealing they exist elsewhere."""
    labourer = await get_labourer(session, principal, labourer_id)
    if labourer is None:
        raise NotFound(entity="labourer", key=labourer_id)
    return labourer


async def require_on_roster(session: AsyncSession, principal: Principal, labourer_id: int) -> Labourer:
    """A labourer who still counts: new positions, services, surveys and trainings are for them only."""
    labourer = await require_labourer(session, principal, labourer_id)
    if not labourer.qualifies:
        raise NotOnRoster(labourer_id=labourer_id, left_on=labourer.left_on or "-")
    return labourer
