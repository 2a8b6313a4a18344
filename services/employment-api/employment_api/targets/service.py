"""Target figures per village, summed up to towns and the caller's whole region, against the goals."""

from collections import defaultdict
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from employment_api.rules import RuleSettings
from employment_api.targets import cache, repository
from employment_api.targets.definitions import TARGETS
from employment_api.targets.schemas import Goals, PlaceFigures, TargetReport

FIGURES = ("labourers", *TARGETS, "zero_employment_households")


def _links(month: date, code: str) -> dict[str, str]:
    links = {t: f"/targets/{month:%Y-%m}/people?target={t}&region_code={code}" for t in TARGETS}
    links["zero_employment_households"] = f"/targets/{month:%Y-%m}/zero-employment-households?region_code={code}"
    return links


def _place(month: date, code: str, name: str, figures: dict[str, int]) -> PlaceFigures:
    return PlaceFigures(
        region_code=code, name=name, links=_links(month, code), **{f: figures.get(f, 0) for f in FIGURES}
    )


async def report(
    session: AsyncSession, principal: Principal, month: date, rules: RuleSettings, region_code: str | None
) -> TargetReport:
    per_village = await cache.village_figures(session, principal, month, rules, region_code)
    tree = await repository.regions(session, list(per_village))
    towns: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    total = dict.fromkeys(FIGURES, 0)
    for code, figures in per_village.items():
        parent = tree.get(code, ("", None))[1] or code
        for name in FIGURES:
            towns[parent][name] += figures[name]
            total[name] += figures[name]
    top = region_code or principal.region_code
    goals = Goals(
        employed_lifted=rules.employed_lifted_target,
        public_welfare_lifted=rules.public_welfare_lifted_target,
        in_workshops=rules.workshop_baseline_2023,
    )
    return TargetReport(
        month=f"{month:%Y-%m}",
        goals=goals,
        met={t: total[t] >= getattr(goals, t) for t in TARGETS},
        total=_place(month, top, tree.get(top, (top, None))[0], total),
        towns=[_place(month, c, tree.get(c, (c, None))[0], f) for c, f in sorted(towns.items())],
        villages=[_place(month, c, tree.get(c, (c, None))[0], f) for c, f in sorted(per_village.items())],
    )
