"""The targets' queries: counts per village and the people (or households) behind each figure."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from employment_api.models import COMMON
from employment_api.roster.models import Labourer
from employment_api.rules import RuleSettings
from employment_api.targets.definitions import base, predicate, zero_employment_households

REGION = COMMON.region


def _where(principal: Principal, region_code: str | None) -> ColumnElement[bool]:
    scope = in_scope(Labourer.region_code, principal)
    if region_code is not None:
        scope = scope & under_region(Labourer.region_code, regioncode.prefix(region_code))
    return scope


async def regions(session: AsyncSession, codes: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """Name and parent of each code and of each parent (villages and their towns)."""
    rows = (await session.execute(select(REGION.c.code, REGION.c.name, REGION.c.parent_code))).all()
    return {row.code: (row.name, row.parent_code) for row in rows}


async def people(
    session: AsyncSession,
    principal: Principal,
    month: date,
    rules: RuleSettings,
    target: str,
    params: PageParams,
    region_code: str | None,
) -> Sequence[Any]:
    rows = base(month, rules, where=_where(principal, region_code))
    stmt = select(rows).where(predicate(target, rows, rules))
    return (await session.execute(apply_keyset(stmt, [rows.c.region_code, rows.c.labourer_id], params))).all()


async def zero_households(
    session: AsyncSession,
    principal: Principal,
    month: date,
    rules: RuleSettings,
    params: PageParams,
    region_code: str | None,
) -> Sequence[Any]:
    rows = base(month, rules, where=_where(principal, region_code))
    zero = zero_employment_households(rows).subquery("zero")
    # The ids and the names in the same order, so the n-th name is the n-th labourer's.
    members = (
        select(
            rows.c.household_id,
            func.array_agg(aggregate_order_by(rows.c.labourer_id, rows.c.labourer_id)).label("labourer_ids"),
            func.array_agg(aggregate_order_by(rows.c.name, rows.c.labourer_id)).label("labourer_names"),
        )
        .group_by(rows.c.household_id)
        .subquery("members")
    )
    stmt = select(
        zero.c.region_code, zero.c.household_id, zero.c.labourers, members.c.labourer_ids, members.c.labourer_names
    ).join(members, members.c.household_id == zero.c.household_id)
    return (await session.execute(apply_keyset(stmt, [zero.c.region_code, zero.c.household_id], params))).all()
