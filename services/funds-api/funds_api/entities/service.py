"""Business rules of entities, bases and 联农带农 links, and the overview against the plan's numbers."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from funds_api.entities import repository
from funds_api.entities.models import BusinessEntity, FarmerLink, IndustrialBase
from funds_api.entities.schemas import (
    BaseCreate,
    BaseUpdate,
    EntityCreate,
    EntityOverview,
    EntityUpdate,
    KeyVillage,
    LinkCreate,
    Totals,
)
from funds_api.rules import EntityRules

TOTAL_FIELDS = tuple(Totals.model_fields)
_LEVELS_ZH = {"village": "村", "town": "乡镇"}


async def _place(session: AsyncSession, principal: Principal, code: str, levels: tuple[str, ...]) -> None:
    """The place must be in the region tree at one of these levels, and inside the caller's region."""
    level = await repository.region_level(session, code)
    if level not in levels or not principal.can_access(code):
        raise InvalidField(
            "body.region_code",
            f"not a {' or '.join(levels)} of the caller's region",
            f"不是本辖区内的{'或'.join(_LEVELS_ZH[level] for level in levels)}",
        )


def _period(established_on: date, closed_on: date | None) -> None:
    if closed_on is not None and closed_on < established_on:
        raise InvalidField(
            "body.closed_on", f"before the establishment date {established_on}", f"早于成立日期 {established_on}"
        )


async def require_entity(session: AsyncSession, principal: Principal, entity_id: int) -> BusinessEntity:
    entity = await repository.get_entity(session, principal, entity_id)
    if entity is None:
        raise NotFound(entity="business entity", key=entity_id)
    return entity


async def require_base(session: AsyncSession, principal: Principal, base_id: int) -> IndustrialBase:
    base = await repository.get_base(session, principal, base_id)
    if base is None:
        raise NotFound(entity="industrial base", key=base_id)
    return base


async def create_entity(session: AsyncSession, principal: Principal, data: EntityCreate) -> BusinessEntity:
    await _place(session, principal, data.region_code, ("village", "town"))
    entity = BusinessEntity(**data.model_dump())
    session.add(entity)
    await session.flush()
    return entity


def _apply(record: Any, changes: dict[str, Any], nullable: set[str]) -> None:
    for field, value in changes.items():
        if value is None and field not in nullable:
            raise InvalidField(f"body.{field}", "cannot be cleared", "不能清空")
        setattr(record, field, value)


async def update_entity(
    session: AsyncSession, principal: Principal, entity_id: int, if_match: str | None, data: EntityUpdate
) -> BusinessEntity:
    entity = await require_entity(session, principal, entity_id)
    check_version(if_match, entity.version)
    _apply(entity, data.model_dump(exclude_unset=True), {"legal_person", "closed_on", "note"})
    _period(entity.established_on, entity.closed_on)
    await session.flush()
    return entity


async def create_base(session: AsyncSession, principal: Principal, data: BaseCreate) -> IndustrialBase:
    await require_entity(session, principal, data.entity_id)
    await _place(session, principal, data.region_code, ("village",))
    base = IndustrialBase(**data.model_dump())
    session.add(base)
    await session.flush()
    return base


async def update_base(
    session: AsyncSession, principal: Principal, base_id: int, if_match: str | None, data: BaseUpdate
) -> IndustrialBase:
    base = await require_base(session, principal, base_id)
    check_version(if_match, base.version)
    _apply(base, data.model_dump(exclude_unset=True), {"area_mu", "closed_on"})
    _period(base.established_on, base.closed_on)
    await session.flush()
    return base


async def record_link(session: AsyncSession, principal: Principal, entity_id: int, data: LinkCreate) -> FarmerLink:
    entity = await require_entity(session, principal, entity_id)
    region_code = entity.region_code
    if data.base_id is not None:
        base = await require_base(session, principal, data.base_id)
        if base.entity_id != entity.id:
            raise InvalidField(
                "body.base_id", f"base {base.id} is run by another entity", f"产业基地 {base.id} 属于其他经营主体"
            )
        region_code = base.region_code
    if data.lifted_households > data.households:
        raise InvalidField("body.lifted_households", "cannot exceed the households reached", "不能多于带动的农户数")
    link = FarmerLink(entity_id=entity.id, region_code=region_code, **data.model_dump())
    session.add(link)
    await session.flush()
    return link


def _totals(row: Any) -> Totals:
    return Totals(**{field: getattr(row, field) for field in TOTAL_FIELDS})


async def overview(
    session: AsyncSession, principal: Principal, rules: EntityRules, year: int, region_code: str | None
) -> EntityOverview:
    code = region_code or principal.region_code
    if not principal.can_access(code):
        raise NotFound(entity="region", key=code)
    prefix = regioncode.prefix(code)
    totals = _totals(await repository.year_totals(session, year, prefix))
    if rules.baseline is not None:
        baseline, source = Totals(**rules.baseline.model_dump()), "配置"
    else:
        baseline, source = _totals(await repository.year_totals(session, rules.baseline_year, prefix)), "台账"
    below = [field for field in TOTAL_FIELDS if Decimal(getattr(totals, field)) < Decimal(getattr(baseline, field))]
    villages = [
        KeyVillage(
            region_code=row.region_code,
            name=row.name,
            bases=int(row.bases),
            meets_minimum=int(row.bases) >= rules.min_bases_per_key_village,
        )
        for row in await repository.key_village_bases(session, rules.key_villages, year, prefix)
    ]
    return EntityOverview(
        year=year,
        region_code=code,
        min_bases_per_key_village=rules.min_bases_per_key_village,
        key_villages=villages,
        key_villages_short=sum(1 for village in villages if not village.meets_minimum),
        totals=totals,
        baseline_year=rules.baseline_year,
        baseline=baseline,
        baseline_from=source,
        below_baseline=below,
    )
