"""Business rules of project assets: formed by completed projects, kept on a ledger, looked after by each level."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from funds_api.assets import repository, upkeep
from funds_api.assets.enums import UPKEEP_ROLE, LedgerLevel
from funds_api.assets.errors import (
    FormedBeforeCompletion,
    LedgerPlace,
    ProjectNotCompleted,
    UpkeepByItsLevel,
    UpkeepNotApplicable,
)
from funds_api.assets.models import Asset, AssetUpkeep
from funds_api.assets.schemas import AssetCreate, AssetFormed, AssetUpdate, LedgerLine, UpkeepCreate
from funds_api.projects import repository as projects
from funds_api.projects.models import Project
from funds_api.rules import AssetRules

KEEPER_LEVEL = {
    LedgerLevel.village: ("village", "村"),
    LedgerLevel.town: ("town", "乡镇"),
    LedgerLevel.district: ("district", "区"),
    LedgerLevel.department: ("district", "区"),
}
ROLE_ZH = {"village": "村级", "town": "乡镇", "district": "区级"}


async def require(session: AsyncSession, principal: Principal, asset_id: int, *, lock: bool = False) -> Asset:
    asset = await repository.get(session, principal, asset_id, lock=lock)
    if asset is None:
        raise NotFound(entity="asset", key=asset_id)
    return asset


async def _check_place(session: AsyncSession, principal: Principal, data: AssetFormed) -> None:
    expected, expected_zh = KEEPER_LEVEL[data.ledger_level]
    level = await repository.region_level(session, data.region_code)
    if level != expected or not principal.can_access(data.region_code):
        raise LedgerPlace(
            field="body.region_code",
            ledger_level=data.ledger_level.value,
            expected=expected,
            expected_zh=expected_zh,
            region_code=data.region_code,
        )


async def form(
    session: AsyncSession, principal: Principal, project: Project, assets: Sequence[AssetFormed], formed_on: date
) -> list[Asset]:
    """Assets a completed project formed; called by the project's completion, in its transaction, and by POST."""
    if project.completed_on is None:
        raise ProjectNotCompleted(project_id=project.id)
    if formed_on < project.completed_on:
        raise FormedBeforeCompletion(
            field="body.formed_on", formed_on=formed_on, project_id=project.id, completed_on=project.completed_on
        )
    created = []
    for data in assets:
        await _check_place(session, principal, data)
        fields = data.model_dump(exclude={"project_id", "formed_on"})
        created.append(Asset(**fields, project_id=project.id, formed_on=formed_on))
    session.add_all(created)
    await session.flush()
    return created


async def register(session: AsyncSession, principal: Principal, data: AssetCreate, today: date) -> Asset:
    project = await projects.get(session, principal, data.project_id)
    if project is None:
        raise NotFound(entity="project", key=data.project_id)
    formed_on = data.formed_on or project.completed_on
    if formed_on is None:
        raise ProjectNotCompleted(project_id=project.id)
    # An asset formed in the future would stay out of every upkeep period until then.
    if formed_on > today:
        raise InvalidField("body.formed_on", f"after today ({today})", f"不能晚于今天（{today}）")
    (asset,) = await form(session, principal, project, [data], formed_on)
    return asset


async def update(
    session: AsyncSession, principal: Principal, asset_id: int, if_match: str | None, data: AssetUpdate, today: date
) -> Asset:
    asset = await require(session, principal, asset_id)
    check_version(if_match, asset.version)
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is None and field not in ("disposed_on", "note"):
            raise InvalidField(f"body.{field}", "cannot be cleared", "不能清空")
        setattr(asset, field, value)
    # A disposal dated ahead would take the asset off the ledgers now.
    if asset.disposed_on is not None and not asset.formed_on <= asset.disposed_on <= today:
        raise InvalidField(
            "body.disposed_on",
            f"between the asset's formation ({asset.formed_on}) and today ({today})",
            f"应在资产形成日期（{asset.formed_on}）至今天（{today}）之间",
        )
    await session.flush()
    return asset


async def ledger(
    session: AsyncSession, principal: Principal, level: LedgerLevel, region_code: str | None
) -> list[LedgerLine]:
    prefix = regioncode.prefix(region_code) if region_code else None
    rows = await repository.ledger(session, principal, level, prefix)
    return [
        LedgerLine(
            keeper=row.keeper,
            name=None if level is LedgerLevel.department else row.name,
            category=row.category,
            assets=row.assets,
            value=row.value,
        )
        for row in rows
    ]


async def record_upkeep(
    session: AsyncSession, principal: Principal, asset_id: int, data: UpkeepCreate, today: date
) -> AssetUpkeep:
    asset = await require(session, principal, asset_id)
    role = UPKEEP_ROLE[data.level]
    if principal.role != role:
        raise UpkeepByItsLevel(level=data.level.value, role=role.value, role_zh=ROLE_ZH[role.value])
    if asset.ledger_level not in upkeep.APPLIES_TO[data.level]:
        ledgers = "、".join(level.value for level in upkeep.APPLIES_TO[data.level])
        raise UpkeepNotApplicable(
            level=data.level.value, ledgers=ledgers, asset_id=asset.id, ledger_level=asset.ledger_level.value
        )
    if not asset.formed_on <= data.done_on <= today:
        raise InvalidField(
            "body.done_on",
            f"between the asset's formation ({asset.formed_on}) and today ({today})",
            f"应在资产形成日期（{asset.formed_on}）至今天（{today}）之间",
        )
    record = AssetUpkeep(
        asset_id=asset.id,
        region_code=asset.region_code,
        done_by=principal.name or principal.subject,
        **data.model_dump(),
    )
    session.add(record)
    await session.flush()
    return record


def missing_upkeep(
    principal: Principal | None, rules: AssetRules, on: date, region_code: str | None, *, current: bool = False
) -> Any:
    prefix = regioncode.prefix(region_code) if region_code else None
    return upkeep.missing(rules, on, repository.scope(principal, prefix), current=current)


async def missing_page(
    session: AsyncSession, principal: Principal, params: Any, rules: AssetRules, on: date, region_code: str | None
) -> tuple[Sequence[Row[*tuple[Any, ...]]], dict[str, int]]:
    missing = missing_upkeep(principal, rules, on, region_code)
    return await repository.missing_page(session, missing, params), await repository.missing_counts(session, missing)
