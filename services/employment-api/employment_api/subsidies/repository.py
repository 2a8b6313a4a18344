"""Every subsidy query; scoped by the labourer's village, in the query itself.

`_grants` is the one definition of which grants count (not revoked, in scope, filtered): the list and the totals both
read it.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from employment_api.labourers import rows_naming
from employment_api.roster.models import Labourer
from employment_api.subsidies.enums import SubsidyKind
from employment_api.subsidies.models import Subsidy


def _in_scope(principal: Principal) -> Select[Subsidy]:
    return (
        select(Subsidy)
        .join(Labourer, Labourer.id == Subsidy.labourer_id)
        .where(in_scope(Labourer.region_code, principal))
    )


async def get_subsidy(session: AsyncSession, principal: Principal, subsidy_id: int) -> Subsidy | None:
    return await session.scalar(_in_scope(principal).where(Subsidy.id == subsidy_id))


async def granted(session: AsyncSession, labourer_id: int, kind: SubsidyKind, period: str) -> Subsidy | None:
    """The standing grant for the person, kind and period, if any (whatever the caller's region)."""
    stmt = select(Subsidy).where(
        Subsidy.labourer_id == labourer_id,
        Subsidy.kind == kind,
        Subsidy.period == period,
        Subsidy.revoked_on.is_(None),
    )
    return await session.scalar(stmt)


def _grants(
    stmt: Select[*tuple[Any, ...]],
    *,
    labourer_id: int | None = None,
    kind: SubsidyKind | None = None,
    period_prefix: str | None = None,
    region_code: str | None = None,
    include_revoked: bool = False,
) -> Select[*tuple[Any, ...]]:
    if not include_revoked:
        stmt = stmt.where(Subsidy.revoked_on.is_(None))
    if labourer_id is not None:
        stmt = stmt.where(Subsidy.labourer_id == labourer_id)
    if kind is not None:
        stmt = stmt.where(Subsidy.kind == kind)
    if period_prefix is not None:
        stmt = stmt.where(Subsidy.period.startswith(period_prefix, autoescape=True))
    if region_code is not None:
        stmt = stmt.where(under_region(Labourer.region_code, regioncode.prefix(region_code)))
    return stmt


async def list_subsidies(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Grants with the labourer's name, household and village (one row each)."""
    stmt = _grants(rows_naming(Subsidy).where(in_scope(Labourer.region_code, principal)), **filters)
    return (await session.execute(apply_keyset(stmt, [Subsidy.id], params))).all()


async def totals(session: AsyncSession, principal: Principal, **filters: Any) -> Sequence[Row[*tuple[Any, ...]]]:
    base = (
        select(
            Subsidy.kind,
            func.count().label("grants"),
            func.count(func.distinct(Subsidy.labourer_id)).label("people"),
            func.sum(Subsidy.amount).label("amount"),
        )
        .join(Labourer, Labourer.id == Subsidy.labourer_id)
        .where(in_scope(Labourer.region_code, principal))
    )
    stmt = _grants(base, **filters).group_by(Subsidy.kind).order_by(Subsidy.kind)
    return (await session.execute(stmt)).all()
