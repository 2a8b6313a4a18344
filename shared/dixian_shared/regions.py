"""The district's region tree: loaded from a CSV file into each service's `region` table, served read-only."""

import csv
from pathlib import Path
from typing import Annotated

from fastapi import Path as PathParam
from fastapi import Query, Request
from pydantic import BaseModel
from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.deps import CurrentPrincipal
from dixian_shared.errors import NotFound, register_value_labels
from dixian_shared.regioncode import RegionLevel
from dixian_shared.routing import DbSession, make_router

register_value_labels({"region": "区划"})


class Region(BaseModel):
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None
    note: str | None = None


def read_region_file(path: Path) -> list[Region]:
    """Parse and check the file: codes are 12 digits, levels match the codes, every parent is in the file."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        regions = [
            Region(
                code=regioncode.validate(row["code"].strip()),
                name=row["name"].strip(),
                level=RegionLevel(row["level"].strip()),
                parent_code=row["parent_code"].strip() or None,
                note=(row.get("note") or "").strip() or None,
            )
            for row in csv.DictReader(handle)
        ]
    codes = {r.code for r in regions}
    for region in regions:
        if region.level != regioncode.level(region.code):
            raise ValueError(
                f"{region.code} is marked {region.level} but its digits say {regioncode.level(region.code)}"
            )
        if region.parent_code is not None and region.parent_code not in codes:
            raise ValueError(f"{region.code} names a parent {region.parent_code} that is not in the file")
    return regions


async def load_regions(session: AsyncSession, table: Table, regions: list[Region]) -> int:
    """Upsert the tree (idempotent: loading the same file twice changes nothing)."""
    if not regions:
        return 0
    stmt = insert(table).values([r.model_dump(mode="json") for r in regions])
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.code],
        set_={c: stmt.excluded[c] for c in ("name", "level", "parent_code", "note")},
    )
    await session.execute(stmt)
    return len(regions)


router = make_router(prefix="/regions", tags=["regions"])

CodePath = Annotated[str, PathParam(pattern=r"^\d{12}$", description="12-digit region code")]


@router.get("", response_model=list[Region], summary="The region tree, or the children of one region")
async def list_regions(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    parent_code: Annotated[str | None, Query(pattern=r"^\d{12}$")] = None,
    level: RegionLevel | None = None,
) -> list[Region]:
    table = request.app.state.ctx.tables.region
    stmt = select(table).order_by(table.c.code)
    if parent_code is not None:
        stmt = stmt.where(table.c.parent_code == parent_code)
    if level is not None:
        stmt = stmt.where(table.c.level == level)
    rows = (await session.execute(stmt)).all()
    return [Region.model_validate(row, from_attributes=True) for row in rows]


@router.get("/{code}", response_model=Region, summary="One region")
async def get_region(request: Request, session: DbSession, principal: CurrentPrincipal, code: CodePath) -> Region:
    table = request.app.state.ctx.tables.region
    row = (await session.execute(select(table).where(table.c.code == code))).one_or_none()
    if row is None:
        raise NotFound(entity="region", key=code)
    return Region.model_validate(row, from_attributes=True)
