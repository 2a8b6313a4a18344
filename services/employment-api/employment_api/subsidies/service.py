"""Business rules of subsidy grants. Takes the session first; flushes, never commits."""

import calendar
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from dixian_shared.pagination import PageParams
from employment_api import labourers
from employment_api.jobs import repository as jobs
from employment_api.jobs.enums import PositionKind
from employment_api.problems import NotInFuture, PeriodOrder, flush_guarded
from employment_api.rules import RuleSettings
from employment_api.subsidies import repository
from employment_api.subsidies.enums import ONCE, SubsidyKind
from employment_api.subsidies.errors import AlreadyRevoked, GrantedAlready, NoPublicWelfarePosition, PeriodFormat
from employment_api.subsidies.models import Subsidy
from employment_api.subsidies.schemas import SubsidyCreate, SubsidyRevoke, SubsidyTotal, SubsidyTotals, SubsidyUpdate

FORMATS = {
    # The years a body's days may lie in (days.py): a grant for 1900 is a typing error, not a period.
    "year": (re.compile(r"^20\d{2}$"), "年", "2026"),
    "month": (re.compile(r"^20\d{2}-(0[1-9]|1[0-2])$"), "月", "2026-07"),
}


def normalise_period(rules: RuleSettings, kind: SubsidyKind, period: str | None) -> str:
    """The period as stored: YYYY, YYYY-MM or 一次性, as the kind's configured unit wants."""
    unit = rules.subsidy_periods[kind.value]
    if unit == "once":
        if period not in (None, ONCE):
            raise PeriodFormat(kind=kind, unit="人一次", example="（不填）", period=period)
        return ONCE
    pattern, name, example = FORMATS[unit]
    # fullmatch: `$` alone lets "2026\n" through, a period the unique index would count apart from "2026".
    if period is None or not pattern.fullmatch(period):
        raise PeriodFormat(kind=kind, unit=name, example=example, period=period or "（未填）")
    return period


def period_days(period: str) -> tuple[date, date | None]:
    """The first and last day a period covers (a one-off covers any time)."""
    if period == ONCE:
        return date.min, None
    year = int(period[:4])
    if len(period) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(period[5:])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


async def grant(
    session: AsyncSession, principal: Principal, rules: RuleSettings, data: SubsidyCreate, today: date
) -> Subsidy:
    labourer = await labourers.require_labourer(session, principal, data.labourer_id)
    period = normalise_period(rules, data.kind, data.period)
    if data.granted_on > today:
        raise NotInFuture(field="granted_on", value=data.granted_on, today=today)
    if data.kind == SubsidyKind.public_welfare_job:
        start, end = period_days(period)
        held = await jobs.first_overlap(
            session, labourer_id=labourer.id, start_on=start, end_on=end, kind=PositionKind.public_welfare
        )
        if held is None:
            raise NoPublicWelfarePosition(labourer_id=labourer.id, period=period)
    if (standing := await repository.granted(session, labourer.id, data.kind, period)) is not None:
        raise GrantedAlready(labourer_id=labourer.id, kind=data.kind, period=period, subsidy_id=standing.id)
    subsidy = Subsidy(**data.model_dump(exclude={"period"}), period=period, recorded_by=principal.subject)
    # A concurrent grant that passed the same check is stopped by the unique index and refused the same way.
    raced = GrantedAlready(labourer_id=labourer.id, kind=data.kind, period=period, subsidy_id="并发提交")
    await flush_guarded(session, {"uq_subsidy_once_per_period": raced}, subsidy)
    return subsidy


async def require_subsidy(session: AsyncSession, principal: Principal, subsidy_id: int) -> Subsidy:
    subsidy = await repository.get_subsidy(session, principal, subsidy_id)
    if subsidy is None:
        raise NotFound(entity="subsidy", key=subsidy_id)
    return subsidy


async def update_subsidy(
    session: AsyncSession, principal: Principal, subsidy_id: int, if_match: str | None, data: SubsidyUpdate, today: date
) -> Subsidy:
    subsidy = await require_subsidy(session, principal, subsidy_id)
    check_version(if_match, subsidy.version)
    if subsidy.revoked_on is not None:
        raise AlreadyRevoked(subsidy_id=subsidy.id, revoked_on=subsidy.revoked_on)
    changes = data.model_dump(exclude_unset=True)
    for field in ("amount", "granted_on", "granted_by"):
        if field in changes and changes[field] is None:
            raise InvalidField(f"body.{field}", "may be changed but not removed", "可以修改，但不能清空")
    if "granted_on" in changes and changes["granted_on"] > today:
        raise NotInFuture(field="granted_on", value=changes["granted_on"], today=today)
    for field, value in changes.items():
        setattr(subsidy, field, value)
    await session.flush()
    return subsidy


async def revoke(
    session: AsyncSession, principal: Principal, subsidy_id: int, if_match: str | None, data: SubsidyRevoke, today: date
) -> Subsidy:
    """A grant made in error is revoked, not deleted: it stays on record, and the period may be granted again."""
    subsidy = await require_subsidy(session, principal, subsidy_id)
    check_version(if_match, subsidy.version)
    if subsidy.revoked_on is not None:
        raise AlreadyRevoked(subsidy_id=subsidy.id, revoked_on=subsidy.revoked_on)
    if data.revoked_on > today:
        raise NotInFuture(field="revoked_on", value=data.revoked_on, today=today)
    if data.revoked_on < subsidy.granted_on:
        raise PeriodOrder(entity="补贴", start_on=subsidy.granted_on, end_on=data.revoked_on)
    subsidy.revoked_on, subsidy.revoke_reason = data.revoked_on, data.reason
    await session.flush()
    return subsidy


async def list_subsidies(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Row[*tuple[Any, ...]]]:
    return await repository.list_subsidies(session, principal, params, **filters)


async def totals(
    session: AsyncSession, principal: Principal, *, region_code: str, period_prefix: str | None, **filters: Any
) -> SubsidyTotals:
    rows = await repository.totals(session, principal, region_code=region_code, period_prefix=period_prefix, **filters)
    return SubsidyTotals(
        region_code=region_code,
        period_prefix=period_prefix,
        totals=[SubsidyTotal(kind=r.kind, grants=r.grants, people=r.people, amount=r.amount) for r in rows],
    )
