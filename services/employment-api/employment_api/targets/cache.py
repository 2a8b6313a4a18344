"""Target figures per village and month, computed with the one definition per target and kept until the village
changes: a request recomputes only the villages written to since (one query for all of them), so the district's
figures for a month answer from a few dozen rows.

Correctness does not depend on timing: the counter is read before the figures are computed, so figures computed
from newer data than their counter says are only recomputed once more, never kept stale.
"""

import hashlib
import json
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from employment_api.models import COMMON
from employment_api.roster.models import Labourer
from employment_api.rules import RuleSettings
from employment_api.targets.definitions import TARGETS, base, per_household
from employment_api.targets.models import TargetFigures, VillageChange

REGION = COMMON.region
FIGURES = ("labourers", *TARGETS, "zero_employment_households")


def rules_key(rules: RuleSettings) -> str:
    """The rules the figures depend on at computing time (the roster's own rules act when it is synced)."""
    relevant = {
        "lifted": sorted(rules.lifted_categories),
        "age": [rules.working_age_min, rules.working_age_max],
    }
    return hashlib.sha256(json.dumps(relevant).encode()).hexdigest()[:32]


async def _compute(
    session: AsyncSession, month: date, rules: RuleSettings, villages: list[str]
) -> dict[str, dict[str, int]]:
    households = per_household(base(month, rules, where=Labourer.region_code.in_(villages)), rules)
    figures = [func.sum(households.c[name]).label(name) for name in ("labourers", *TARGETS)]
    zero = func.count().filter(households.c.zero_employment).label("zero_employment_households")
    rows = await session.execute(select(households.c.region_code, *figures, zero).group_by(households.c.region_code))
    found = {row.region_code: {name: int(getattr(row, name)) for name in FIGURES} for row in rows}
    return {village: found.get(village, dict.fromkeys(FIGURES, 0)) for village in villages}


async def village_figures(
    session: AsyncSession, principal: Principal, month: date, rules: RuleSettings, region_code: str | None
) -> dict[str, dict[str, int]]:
    """Every village in scope with labourers that month, and its figures."""
    scope = in_scope(REGION.c.code, principal)
    if region_code is not None:
        scope = scope & under_region(REGION.c.code, regioncode.prefix(region_code))
    villages = list((await session.scalars(select(REGION.c.code).where(REGION.c.level == "village", scope))).all())
    counters = dict(
        (
            await session.execute(
                select(VillageChange.region_code, VillageChange.counter).where(VillageChange.region_code.in_(villages))
            )
        ).all()
    )
    key = rules_key(rules)
    cached = {
        row.region_code: row
        for row in (
            await session.scalars(
                select(TargetFigures).where(
                    TargetFigures.month == month,
                    TargetFigures.rules_key == key,
                    TargetFigures.region_code.in_(villages),
                )
            )
        ).all()
    }
    result = {
        code: {name: getattr(row, name) for name in FIGURES}
        for code, row in cached.items()
        if row.computed_from == counters.get(code, 0)
    }
    stale = [code for code in villages if code not in result]
    if stale:
        computed = await _compute(session, month, rules, stale)
        rows = [
            {"region_code": code, "month": month, "rules_key": key, "computed_from": counters.get(code, 0), **figures}
            for code, figures in computed.items()
        ]
        stmt = insert(TargetFigures).values(rows)
        stmt = stmt.on_conflict_do_update(
            index_elements=["region_code", "month", "rules_key"],
            set_={name: stmt.excluded[name] for name in ("computed_from", *FIGURES)},
        )
        await session.execute(stmt)
        result |= computed
    return {code: figures for code, figures in sorted(result.items()) if any(figures.values())}
