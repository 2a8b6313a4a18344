"""Every roster query; region scoping in the query itself."""

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from employment_api.roster.models import Labourer

# Members seen but never on the roster (an ordinary household's, a child's) are bookkeeping, not labourers.
ON_ROSTER_EVER = or_(Labourer.qualifies, Labourer.left_on.is_not(None))


async def get(session: AsyncSession, principal: Principal, labourer_id: int) -> Labourer | None:
    stmt = select(Labourer).where(Labourer.id == labourer_id, in_scope(Labourer.region_code, principal), ON_ROSTER_EVER)
    return await session.scalar(stmt)


async def page(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    region_code: str | None,
    qualifies: bool | None,
    household_id: int | None,
) -> Sequence[Labourer]:
    stmt = select(Labourer).where(in_scope(Labourer.region_code, principal), ON_ROSTER_EVER)
    if region_code is not None:
        stmt = stmt.where(under_region(Labourer.region_code, regioncode.prefix(region_code)))
    if qualifies is not None:
        stmt = stmt.where(Labourer.qualifies.is_(qualifies))
    if household_id is not None:
        stmt = stmt.where(Labourer.household_id == household_id)
    return (await session.scalars(apply_keyset(stmt, [Labourer.region_code, Labourer.id], params))).all()
