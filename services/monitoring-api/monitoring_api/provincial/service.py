"""Applying the province's updates to the registry, each type by its own rule:

- a subject it identified becomes one here with its identification date, kind and risk types, so the rules that
  count from inclusion (elimination after six months, development measure within six months, still at risk after six
  months) apply to it as to one included here;
- its 帮扶状态 for a household is set on the household (a field only these updates change) and kept in its history;
- an income it verified is kept per household and year and compared with the year's monitoring threshold: below it,
  or within the margin above it, the household carries a 收入线 warning from the province
  (warnings/conditions/province.py, kept current by every warnings recompute too).

Every applied update is audited and published with the province's action (the worker neither pushes it back nor
takes it for a change made here). A redelivered update, or an older one about what a later one already set, changes
nothing and answers `unchanged`, as does one that sets what is already there.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit, outbox
from dixian_shared.contracts import PROVINCE_ACTION, ProvinceUpdate, ProvinceUpdateResult, Topic
from dixian_shared.errors import InvalidField
from monitoring_api.households.enums import MONITORING_SUBJECTS, Category
from monitoring_api.households.models import AssistanceStatusChange, Household
from monitoring_api.income.models import VerifiedIncome
from monitoring_api.provincial import repository
from monitoring_api.rules import RuleSettings
from monitoring_api.warnings import service as warnings
from monitoring_api.warnings.conditions import Scope

# What an applier did, for the audit row (empty: nothing differed).
Changes = dict[str, Any]
Applier = Callable[[AsyncSession, ProvinceUpdate, Household, RuleSettings], Awaitable[Changes]]


def _check(update: ProvinceUpdate) -> None:
    """The fields each type needs, refused (422, field named) before anything is looked up."""
    if update.type == "subject_identified":
        if update.subject_kind not in {c.value for c in MONITORING_SUBJECTS} or update.identified_on is None:
            raise InvalidField("body.subject_kind", "a subject needs its kind (监测对象类别) and identification date")
    elif update.type == "assistance_status" and update.assistance_status is None:
        raise InvalidField("body.assistance_status", "an assistance-status update carries the status (帮扶状态)")
    elif update.type == "income_verified" and update.income_verified is None:
        raise InvalidField("body.income_verified", "an income-verification update carries the result (收入核实)")


async def apply(session: AsyncSession, update: ProvinceUpdate, *, rules: RuleSettings) -> ProvinceUpdateResult:
    _check(update)
    household = await repository.household_for_update(session, update.household_local_id, update.id_number)
    if household is None:
        return ProvinceUpdateResult(seq=update.seq, outcome="unmatched")
    changes = await APPLIERS[update.type](session, update, household, rules)
    if not changes:
        return ProvinceUpdateResult(seq=update.seq, outcome="unchanged", household_id=household.id)
    await audit.record(
        session,
        "province_update",
        str(update.seq),
        "applied",
        {"type": update.type, "household_id": household.id, **changes},
    )
    return ProvinceUpdateResult(seq=update.seq, outcome="applied", household_id=household.id)


async def _identified(session: AsyncSession, update: ProvinceUpdate, household: Household, _: RuleSettings) -> Changes:
    assert update.subject_kind is not None
    wanted = (Category(update.subject_kind), update.identified_on, list(update.risk_types))
    # Identified after its risk was marked eliminated here: a new risk, so the subject is at risk again.
    renewed = (
        household.risk_eliminated_on is not None
        and update.identified_on is not None
        and update.identified_on > household.risk_eliminated_on
    )
    if not renewed and (household.category, household.included_on, list(household.risk_causes or [])) == wanted:
        return {}
    household.category, household.included_on, household.risk_causes = wanted
    if renewed:
        household.risk_eliminated_on, household.elimination_id = None, None
    await session.flush()
    await _household_changed(session, household)
    return {"category": household.category.value, "included_on": str(household.included_on), "renewed": renewed}


async def _assistance(session: AsyncSession, update: ProvinceUpdate, household: Household, _: RuleSettings) -> Changes:
    status = update.assistance_status
    last_seq = await repository.last_assistance_seq(session, household.id)
    if (last_seq is not None and update.seq <= last_seq) or household.assistance_status == status:
        return {}
    previous, household.assistance_status = household.assistance_status, status
    session.add(
        AssistanceStatusChange(
            household_id=household.id,
            region_code=household.region_code,
            seq=update.seq,
            status=status,
            previous_status=previous,
            changed_at=update.changed_at,
        )
    )
    await session.flush()
    await _household_changed(session, household)
    return {"assistance_status": [previous, status]}


async def _income(session: AsyncSession, update: ProvinceUpdate, household: Household, rules: RuleSettings) -> Changes:
    result = update.income_verified
    assert result is not None
    figures = {
        "per_capita_net_income": result.per_capita_net_income,
        "verified_on": result.verified_on,
        "items": {item: str(amount) for item, amount in result.items.items()},
    }
    record = await repository.verified_income(session, household.id, result.year)
    if record is not None and (
        update.seq <= record.seq or all(getattr(record, name) == value for name, value in figures.items())
    ):
        return {}
    if record is None:
        record = VerifiedIncome(household_id=household.id, year=result.year)
        session.add(record)
    for name, value in figures.items():
        setattr(record, name, value)
    record.region_code, record.seq = household.region_code, update.seq
    await session.flush()
    counts = await warnings.sync_verified_income(session, Scope(household_id=household.id), rules=rules)
    await outbox.publish_change(
        session, Topic.income_changed, "household_income_verification", record.id, record.region_code, PROVINCE_ACTION
    )
    return {
        "year": result.year,
        "per_capita_net_income": str(result.per_capita_net_income),
        "warnings_raised": sum(c.raised for c in counts.values()),
        "warnings_resolved": sum(c.resolved for c in counts.values()),
    }


async def _household_changed(session: AsyncSession, household: Household) -> None:
    await outbox.publish_change(
        session, Topic.household_changed, "household", household.id, household.region_code, PROVINCE_ACTION
    )


APPLIERS: dict[str, Applier] = {
    "subject_identified": _identified,
    "assistance_status": _assistance,
    "income_verified": _income,
}
