"""Business rules of fund sources: held by the district; never less than what is allocated from them."""

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from dixian_shared.pagination import PageParams
from dixian_shared.regioncode import RegionLevel
from funds_api.sources import repository
from funds_api.sources.enums import FundLevel
from funds_api.sources.errors import AmountBelowAllocated, NotADistrict
from funds_api.sources.models import FundSource
from funds_api.sources.schemas import FundSourceCreate, FundSourceRead, FundSourceUpdate


async def require(session: AsyncSession, principal: Principal, source_id: int, *, lock: bool = False) -> FundSource:
    source = await repository.get(session, principal, source_id, lock=lock)
    if source is None:
        raise NotFound(entity="fund source", key=source_id)
    return source


async def create(session: AsyncSession, principal: Principal, data: FundSourceCreate) -> FundSource:
    if regioncode.level(principal.region_code) != RegionLevel.district:
        raise NotADistrict(region_code=principal.region_code)
    source = FundSource(region_code=principal.region_code, **data.model_dump())
    session.add(source)
    await session.flush()
    return source


async def update(
    session: AsyncSession, principal: Principal, source_id: int, if_match: str | None, data: FundSourceUpdate
) -> FundSource:
    source = await require(session, principal, source_id, lock=True)
    check_version(if_match, source.version)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("amount") is not None:
        allocated = (await repository.allocated_from(session, [source.id])).get(source.id, Decimal("0.00"))
        if changes["amount"] < allocated:
            raise AmountBelowAllocated(
                fund_source_id=source.id, amount=changes["amount"], allocated=allocated, field="body.amount"
            )
    for field, value in changes.items():
        if value is None and field not in ("received_on", "note"):
            raise InvalidField(f"body.{field}", "cannot be cleared", "不能清空")
        setattr(source, field, value)
    await session.flush()
    return source


async def read(session: AsyncSession, sources: Sequence[FundSource]) -> list[FundSourceRead]:
    allocated = await repository.allocated_from(session, [s.id for s in sources])
    return [
        FundSourceRead.model_validate(s).model_copy(update={"allocated": allocated.get(s.id, Decimal("0.00"))})
        for s in sources
    ]


async def list_sources(
    session: AsyncSession, principal: Principal, params: PageParams, *, year: int | None, level: FundLevel | None
) -> Sequence[FundSource]:
    return await repository.list_sources(session, principal, params, year=year, level=level)
