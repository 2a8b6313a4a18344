"""Key-group members (八类重点人群) not screened in a month (§1: the key groups are screened every month).

Screened means a 研判 (assessment) of the household recorded for that month, whatever its outcome; membership is the
one definition in membership.py. One set-based query per page, scoped and keyset-paginated on the household id.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, String, and_, any_, exists, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.assessments.models import Assessment
from monitoring_api.households.models import Household
from monitoring_api.warnings.enums import KeyGroup
from monitoring_api.warnings.membership import memberships


async def unscreened(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    month: date,
    region_code: str | None = None,
    key_group: KeyGroup | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    where = in_scope(Household.region_code, principal)
    if region_code is not None:
        where = and_(where, under_region(Household.region_code, regioncode.prefix(region_code)))
    membership = memberships(where)
    groups = (
        select(
            membership.c.household_id,
            func.array_agg(aggregate_order_by(membership.c.key_group.distinct(), membership.c.key_group)).label(
                "key_groups"
            ),
        )
        .group_by(membership.c.household_id)
        .subquery("groups")
    )
    screened = exists().where(Assessment.household_id == Household.id, Assessment.month == month)
    stmt = (
        select(
            Household.id.label("household_id"),
            Household.region_code,
            Household.head_name,
            Household.category,
            groups.c.key_groups,
            literal(month).label("month"),
        )
        .join(groups, groups.c.household_id == Household.id)
        .where(~screened)
    )
    if key_group is not None:
        stmt = stmt.where(literal(key_group.value, String) == any_(groups.c.key_groups))
    return (await session.execute(apply_keyset(stmt, [Household.id], params))).all()
