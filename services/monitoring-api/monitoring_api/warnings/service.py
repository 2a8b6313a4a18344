"""Three-line warnings: set-based recompute of the system rules, warnings raised by other modules, scoped lists."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit, regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from monitoring_api.households.service import require_household
from monitoring_api.rules import RuleSettings
from monitoring_api.warnings import repository
from monitoring_api.warnings.conditions import (
    PROVINCE_RULES,
    SYSTEM_RULES,
    RuleContext,
    Scope,
    verified_income_holding,
)
from monitoring_api.warnings.enums import Grade, Line, Source
from monitoring_api.warnings.errors import NoIncomeLine
from monitoring_api.warnings.models import HouseholdWarning
from monitoring_api.warnings.schemas import RuleCounts


async def recompute(session: AsyncSession, scope: Scope, *, rules: RuleSettings, today: date) -> dict[str, RuleCounts]:
    """Evaluate every system rule over the scope: two statements per rule, whatever the number of households.

    Resolving first lets a warning whose grade changed be raised again at its new grade; the partial unique index
    on open warnings makes the upsert idempotent, so a recompute run twice changes nothing the second time.
    """
    missing = await repository.years_without_line(session, scope, list(rules.income_lines))
    if missing:
        raise NoIncomeLine(years=", ".join(map(str, missing)), year=missing[0], rule="income_lines")
    ctx = RuleContext(rules=rules, today=today)
    counts: dict[str, RuleCounts] = {}
    for rule, condition in SYSTEM_RULES.items():
        resolved = await repository.resolve_lapsed(session, scope, rule, condition(scope, ctx))
        raised, refreshed = await repository.upsert_holding(session, condition(scope, ctx))
        counts[rule.value] = RuleCounts(raised=raised, refreshed=refreshed, resolved=resolved)
    counts |= await sync_verified_income(session, scope, rules=rules)
    changed = {rule: c.model_dump() for rule, c in counts.items() if c.raised or c.refreshed or c.resolved}
    if changed:
        await audit.record(session, "warning", scope.key, "recompute", changed)
    return counts


async def sync_verified_income(session: AsyncSession, scope: Scope, *, rules: RuleSettings) -> dict[str, RuleCounts]:
    """The 收入线 warnings of the income the province verified, over the scope (conditions/province.py), counted as
    "province.<rule>"; raised and resolved the way department findings are (sync_from_findings)."""
    within = HouseholdWarning.household_id.in_(repository.households_in(scope))
    counts = {}
    for rule in PROVINCE_RULES:
        raised, resolved = await sync_from_findings(
            session,
            rule=rule.value,
            source=Source.province.value,
            holding=verified_income_holding(rule, scope, rules),
            within=within,
        )
        counts[f"province.{rule.value}"] = RuleCounts(raised=raised, refreshed=0, resolved=resolved)
    return counts


async def recompute_household(
    session: AsyncSession, household_id: int, *, rules: RuleSettings, today: date
) -> dict[str, RuleCounts]:
    return await recompute(session, Scope(household_id=household_id), rules=rules, today=today)


async def recompute_after_change(
    session: AsyncSession, entity: str, entity_id: int, *, rules: RuleSettings, today: date
) -> dict[str, RuleCounts]:
    """Recompute the household a changed record belongs to (a household, or a member of one)."""
    household_id = entity_id if entity == "household" else await repository.household_of_member(session, entity_id)
    if household_id is None:
        return {}
    return await recompute_household(session, household_id, rules=rules, today=today)


async def recompute_region(
    session: AsyncSession, region_code: str, *, rules: RuleSettings, today: date
) -> dict[str, RuleCounts]:
    """The whole region in one pass; what the nightly job runs."""
    return await recompute(session, Scope(region_prefix=regioncode.prefix(region_code)), rules=rules, today=today)


async def recompute_household_for(
    session: AsyncSession, principal: Principal, household_id: int, *, rules: RuleSettings, today: date
) -> dict[str, RuleCounts]:
    await require_household(session, principal, household_id)
    return await recompute_household(session, household_id, rules=rules, today=today)


async def recompute_region_for(
    session: AsyncSession, principal: Principal, region_code: str | None, *, rules: RuleSettings, today: date
) -> tuple[str, dict[str, RuleCounts]]:
    code = region_code or principal.region_code
    if not principal.can_access(code) or not await repository.region_exists(session, code):
        raise NotFound(entity="region", key=code)
    return code, await recompute_region(session, code, rules=rules, today=today)


async def sync_from_findings(
    session: AsyncSession,
    *,
    rule: str,
    source: str,
    holding: Select,
    within: ColumnElement[bool] | None = None,
) -> tuple[int, int]:
    """Another module's findings, set-based, with the recompute's semantics: (raised, resolved).

    `holding` selects the warning columns (conditions.COLUMNS) of every household the findings still show; an open
    warning of this rule and source not among them, or at another grade, is resolved first, then the rest is upserted.
    """
    resolved = await repository.resolve_not_holding(session, rule=rule, source=source, holding=holding, within=within)
    raised, _ = await repository.upsert_holding(session, holding)
    return raised, resolved


async def raise_warning(
    session: AsyncSession,
    household_id: int,
    line: Line,
    grade: Grade,
    rule: str,
    source: str,
    data: dict[str, Any],
    *,
    subject: str = "",
) -> HouseholdWarning:
    """Raise (or keep) a warning from another module, e.g. the sector cross-check; never duplicates an open one.

    The same open warning at the same grade only takes the new data; at another grade it is resolved and raised anew,
    so the history shows when the grade changed.
    """
    region_code = await repository.household_region(session, household_id)
    if region_code is None:
        raise NotFound(entity="household", key=household_id)
    existing = await repository.open_warning(session, household_id, line, rule, source, subject)
    if existing is not None:
        if existing.grade == grade:
            if existing.data != data:
                existing.data = data
                await session.flush()
            return existing
        existing.resolved_at = datetime.now(UTC)
        # The open warning must be closed before its successor enters the partial unique index.
        await session.flush()
    warning = HouseholdWarning(
        household_id=household_id,
        region_code=region_code,
        line=line,
        grade=grade,
        rule=rule,
        source=source,
        subject=subject,
        data=data,
        raised_at=datetime.now(UTC),
    )
    session.add(warning)
    await session.flush()
    return warning


async def resolve_warning(
    session: AsyncSession, household_id: int, line: Line, rule: str, source: str, *, subject: str = ""
) -> bool:
    """Resolve another module's open warning once its condition is gone; False when none was open."""
    existing = await repository.open_warning(session, household_id, line, rule, source, subject)
    if existing is None:
        return False
    existing.resolved_at = datetime.now(UTC)
    await session.flush()
    return True


async def list_warnings(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    line: Line | None = None,
    grade: Grade | None = None,
    region_code: str | None = None,
    include_resolved: bool = False,
) -> Sequence[HouseholdWarning]:
    return await repository.list_warnings(
        session, principal, params, line=line, grade=grade, region_code=region_code, include_resolved=include_resolved
    )


async def list_household_warnings(
    session: AsyncSession, principal: Principal, household_id: int, params: PageParams, *, include_resolved: bool
) -> Sequence[HouseholdWarning]:
    await require_household(session, principal, household_id)
    return await repository.list_warnings(
        session, principal, params, household_id=household_id, include_resolved=include_resolved
    )
