"""Marking villages whose target figures may have changed: every write to entries or the roster calls `touch`."""

from collections.abc import Iterable

from sqlalchemy import literal_column
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from employment_api.targets.models import VillageChange


async def touch(session: AsyncSession, region_codes: Iterable[str]) -> None:
    codes = sorted(set(region_codes))  # one order for every writer: no deadlock between two of them
    if not codes:
        return
    stmt = insert(VillageChange).values([{"region_code": code, "counter": 1} for code in codes])
    stmt = stmt.on_conflict_do_update(
        index_elements=["region_code"], set_={"counter": VillageChange.counter + literal_column("1")}
    )
    await session.execute(stmt)
