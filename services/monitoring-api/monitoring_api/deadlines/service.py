"""The deadline report: every deadline of monitoring-api, upcoming within a horizon or overdue, per place."""

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import DeadlineItem, DeadlineReport
from dixian_shared.db import SessionFactory
from dixian_shared.deadlines import DeadlineKind, DueCount, due_items
from dixian_shared.workdays import WorkdayCalendar
from monitoring_api.deadlines import repository
from monitoring_api.rules import RuleSettings

SERVICE = "monitoring-api"

# Each repository rule and the deadline it reports.
KINDS = {
    "not_now_review": DeadlineKind(
        "monitoring.not_now_review", "暂不纳入乡镇审核（月底前）", "town", "/assessments/overdue"
    ),
    "watch_reassessment": DeadlineKind(
        "monitoring.watch_reassessment", "持续关注户每月研判", "village", "/assessments/overdue"
    ),
    "inclusion_decision": DeadlineKind(
        "monitoring.inclusion_decision", "识别纳入（线索起15日内决定）", "village", "/inclusion-cases/late"
    ),
    "visits": DeadlineKind("monitoring.visits", "入户走访", "village", "/visits/overdue"),
    "development_measure": DeadlineKind(
        "monitoring.development_measure", "纳入6个月内落实开发式帮扶", "village", "/measures/flags"
    ),
}


async def report(
    session: AsyncSession,
    principal: Principal,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    *,
    on: date,
    horizon_days: int,
    region_code: str | None,
    sessions: SessionFactory,
    connections: int,
) -> DeadlineReport:
    """`sessions` and `connections`: the rules run on sessions of their own, side by side (repository.due_all)."""
    prefix = regioncode.prefix(region_code) if region_code else principal.region_prefix
    until = on + timedelta(days=horizon_days)
    counts = await repository.due_all(session, sessions, connections, list(KINDS), principal, rules, until, prefix)
    items: list[DeadlineItem] = []
    for kind, rows in zip(KINDS.values(), counts, strict=True):
        items += due_items(kind, calendar, map(DueCount.from_row, rows), on)
    return DeadlineReport(service=SERVICE, on=on, items=items)
