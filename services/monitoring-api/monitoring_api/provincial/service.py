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
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit, outbox
from dixian_shared.contracts import PROVINCE_ACTION, ProvinceUpdate, ProvinceUpdateResult, Topic
from dixian_shared.errors import InvalidField
from monitoring_api.households.enums import MAX_RISK_CAUSES, MONITORING_SUBJECTS, RISK_CAUSES, Category
from monitoring_api.households.models import AssistanceStatusChange, Household
from monitoring_api.households.schemas import EARLIEST_DAY, LATEST_DAY
from monitoring_api.income.models import VerifiedIncome
from monitoring_api.provincial import repository
from monitoring_api.rules import RuleSettings
from monitoring_api.warnings import service as warnings
from monitoring_api.warnings.conditions import Scope

# What an applier did, for the audit row (empty: nothing differed).
Changes = dict[str, Any]
Applier = Callable[[AsyncSession, ProvinceUpdate, Household, RuleSettings], Awaitable[Changes]]


def _check(update: ProvinceUpdate) -> None:
    """The fields each type needs, and values the registry can hold, refused (422, field named) before anything is
    looked up: the worker keeps a refused update as 已拒绝 with the reason, for the district to see and replay."""
    if update.type == "subject_identified":
        if update.subject_kind not in {c.value for c in MONITORING_SUBJECTS} or update.identified_on is None:
            raise InvalidField(
                "body.subject_kind",
                "a subject needs its kind (监测对象类别) and identification date",
                "监测对象须有监测对象类别和识别日期",
            )
        _check_day("body.identified_on", update.identified_on)
        _check_risk_types(update.risk_types)
    elif update.type == "assistance_status" and update.assistance_status is None:
        raise InvalidField(
            "body.assistance_status",
            "an assistance-status update carries the status (帮扶状态)",
            "帮扶状态更新须带帮扶状态",
        )
    elif update.type == "income_verified":
        if update.income_verified is None:
            raise InvalidField(
                "body.income_verified",
                "an income-verification update carries the result (收入核实)",
                "收入核实更新须带核实结果",
            )
        _check_day("body.income_verified.verified_on", update.income_verified.verified_on)
    # A time the province reports as it is (clocks differ), only kept where the database can hold it.
    if update.changed_at is not None and not EARLIEST_DAY.year <= update.changed_at.year <= LATEST_DAY.year:
        raise InvalidField(
            "body.changed_at",
            f"must fall in the years {EARLIEST_DAY.year} to {LATEST_DAY.year}",
            f"应在 {EARLIEST_DAY.year} 至 {LATEST_DAY.year} 年之间",
        )


def _check_day(field: str, day: date) -> None:
    """A day the province says something happened, within the registry's years: the six-month rules count from an
    identification date (one in year 1 makes a subject due for elimination at once), and 9999-12-31 is stored as
    PostgreSQL's 'infinity', which no read turns back into a date. A day after ours is taken (clocks differ)."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidField(
            field, f"must fall between {EARLIEST_DAY} and {LATEST_DAY}", f"应在 {EARLIEST_DAY} 至 {LATEST_DAY} 之间"
        )


def _check_risk_types(risk_types: list[str]) -> None:
    """The province's risk types become the household's 致贫返贫风险: from the list users pick from, as many."""
    for index, risk in enumerate(risk_types):
        if risk not in RISK_CAUSES:
            raise InvalidField(
                f"body.risk_types.{index}",
                "not a risk type of the national system (致贫返贫风险)",
                "不是致贫返贫风险类型，应为以下之一：" + "、".join(RISK_CAUSES),
            )
    if len(set(risk_types)) > MAX_RISK_CAUSES:
        raise InvalidField(
            "body.risk_types", f"at most {MAX_RISK_CAUSES} risk types", f"风险类型最多 {MAX_RISK_CAUSES} 项"
        )


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
    wanted = (Category(update.subject_kind), update.identified_on, list(dict.fromkeys(update.risk_types)))
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
