"""The overview per child region and the special groups; every count is one GROUP BY over the whole region."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from monitoring_api.households.enums import Category
from monitoring_api.overview import repository, special_groups
from monitoring_api.overview.contributors import OVERDUE_CONTRIBUTORS, OverviewScope  # registers the counts
from monitoring_api.overview.schemas import Overview, RegionCounts, SpecialGroup
from monitoring_api.rules import RuleSettings
from monitoring_api.warnings.enums import Grade, KeyGroup, Line

CHILD_DIGITS = {"province": 4, "city": 6, "district": 9, "town": 12, "village": 12}


def _empty(code: str, name: str, kinds: list[str]) -> RegionCounts:
    return RegionCounts(
        region_code=code,
        name=name,
        households=0,
        by_category={c.value: 0 for c in Category},
        key_groups={g.value: 0 for g in KeyGroup},
        warnings={line.value: {grade.value: 0 for grade in Grade} for line in Line},
        overdue=dict.fromkeys(kinds, 0),
    )


def _total(code: str, name: str, children: list[RegionCounts], kinds: list[str]) -> RegionCounts:
    """Each household, warning and overdue item lies under exactly one child, so the total is their sum."""
    total = _empty(code, name, kinds)
    for child in children:
        total.households += child.households
        total.risk_eliminated += child.risk_eliminated
        for part in ("by_category", "key_groups", "overdue"):
            mine = getattr(total, part)
            for key, value in getattr(child, part).items():
                mine[key] = mine.get(key, 0) + value
        for line, grades in child.warnings.items():
            for grade, value in grades.items():
                total.warnings[line][grade] += value
    return total


async def overview(
    session: AsyncSession, principal: Principal, region_code: str | None, *, rules: RuleSettings, today: date
) -> Overview:
    code = region_code or principal.region_code
    found = await repository.region(session, code) if principal.can_access(code) else None
    if found is None:
        raise NotFound(entity="region", key=code)
    scope = OverviewScope(
        principal=principal,
        region_code=code,
        region_prefix=regioncode.prefix(code),
        child_digits=CHILD_DIGITS.get(found.level, 12),
        today=today,
        rules=rules,
    )
    kinds = [c.kind for c in OVERDUE_CONTRIBUTORS]
    children = {c: _empty(c, n, kinds) for c, n in await repository.child_regions(session, code)}

    def at(child: str) -> RegionCounts:
        # A household filed under a code missing from the region tree still counts, under its own code.
        return children.setdefault(child, _empty(child, "", kinds))

    for child, category, eliminated, count in await repository.households_by_category(session, scope):
        at(child).by_category[category] += count
        at(child).households += count
        if eliminated:
            at(child).risk_eliminated += count
    for child, group, count in await repository.households_by_key_group(session, scope):
        at(child).key_groups[group] = count
    for child, line, grade, count in await repository.open_warnings(session, scope):
        at(child).warnings[line][grade] = count
    for contributor in OVERDUE_CONTRIBUTORS:
        for child, count in (await contributor.count(session, scope)).items():
            at(child).overdue[contributor.kind] = count

    ordered = [children[c] for c in sorted(children)]
    return Overview(
        region_code=code,
        name=found.name,
        level=found.level,
        as_of=today,
        total=_total(code, found.name, ordered, kinds),
        children=ordered,
    )


async def special_group(
    session: AsyncSession,
    principal: Principal,
    kind: SpecialGroup,
    params: PageParams,
    *,
    rules: RuleSettings,
    today: date,
    region_code: str | None,
    category: Category | None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    return await special_groups.list_special_group(
        session, principal, kind, params, rules=rules, today=today, region_code=region_code, category=category
    )
