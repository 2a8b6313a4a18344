"""Asset upkeep on GET /deadlines: the missing-upkeep definition (assets/upkeep.py), counted per acting place.

村级管护 is the village's to do, 乡镇巡查 its town's, 区级督导 the district's: each item names that place.
"""

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.contracts import DeadlineItem
from dixian_shared.deadlines import DeadlineKind, State, deadline_item
from dixian_shared.workdays import WorkdayCalendar
from funds_api.assets import repository, upkeep
from funds_api.assets.enums import UpkeepLevel
from funds_api.deadlines.items import Window
from funds_api.rules import FundsRules

LINK = "/assets/upkeep/overdue"
KINDS = {
    UpkeepLevel.village: DeadlineKind("funds.asset_upkeep.village", "扶贫项目资产村级管护（每月）", "village", LINK),
    UpkeepLevel.town: DeadlineKind("funds.asset_upkeep.town", "扶贫项目资产乡镇巡查（每季度）", "town", LINK),
    UpkeepLevel.district: DeadlineKind(
        "funds.asset_upkeep.district", "扶贫项目资产区级督导（每半年）", "district", LINK
    ),
}


async def asset_upkeep(
    session: AsyncSession, rules: FundsRules, calendar: WorkdayCalendar, window: Window
) -> list[DeadlineItem]:
    items: list[DeadlineItem] = []
    scope = repository.scope(None, window.region_prefix)
    until = window.on + timedelta(days=window.horizon_days)
    passes: tuple[tuple[bool, State], ...] = ((False, "overdue"), (True, "upcoming"))
    for current, state in passes:
        missing = upkeep.missing(rules.assets, window.on, scope, current=current)
        for row in await repository.missing_by_place(session, missing):
            if current and row.period_end > until:
                continue
            kind = KINDS[UpkeepLevel(row.level)]
            items.append(
                deadline_item(kind, calendar, row.region_code, row.period_end, int(row._mapping["count"]), state)
            )
    return items
