"""Places of positions and trainings: a caller writes within its region and reads its region and the ones above it.

A town's public-welfare positions and trainings concern every village of the town, so a village user reads them;
it may not change them.
"""

from sqlalchemy import SQLColumnExpression, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope
from dixian_shared.errors import NotFound
from employment_api.models import COMMON


def ancestors(code: str) -> list[str]:
    found = []
    parent = regioncode.parent(code)
    while parent is not None:
        found.append(parent)
        parent = regioncode.parent(parent)
    return found


def readable(column: SQLColumnExpression[str], principal: Principal) -> ColumnElement[bool]:
    """Places in the caller's region, and the town and district above it."""
    return or_(in_scope(column, principal), column.in_(ancestors(principal.region_code)))


async def check_place(session: AsyncSession, principal: Principal, code: str) -> None:
    """A place the caller may write to: a region of the district's tree inside the caller's region."""
    region = COMMON.region
    known = await session.scalar(select(region.c.code).where(region.c.code == code))
    if known is None or not principal.can_access(code):
        raise NotFound(entity="region", key=code)


def region_in_scope(principal: Principal, region_code: str | None) -> str:
    """The region a list or count is asked for (the caller's own by default); another region's is a 404."""
    if region_code is None:
        return principal.region_code
    if not principal.can_access(region_code):
        raise NotFound(entity="region", key=region_code)
    return region_code
