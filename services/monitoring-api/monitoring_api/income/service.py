"""Business rules of yearly income: the server computes the net and per-capita income, then re-evaluates warnings."""

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import outbox
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.contracts import Topic
from dixian_shared.errors import NotFound, PreconditionFailed
from monitoring_api.households.enums import HouseholdStatus
from monitoring_api.households.service import require_household
from monitoring_api.income import repository
from monitoring_api.income.errors import FutureIncomeYear, HouseholdDissolved, NoHouseholdSize
from monitoring_api.income.models import HouseholdIncome
from monitoring_api.income.schemas import IncomeWrite
from monitoring_api.rules import RuleSettings
from monitoring_api.warnings import service as warnings

CENT = Decimal("0.01")
COMPONENTS = (
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_expense",
    "compliant_out_of_pocket",
)


def net_income(data: IncomeWrite) -> Decimal:
    """家庭纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性 收入 − 生产经营性支出 (may be negative)."""
    gross = data.wage_income + data.business_income + data.property_income + data.transfer_income
    return (gross - data.business_expense).quantize(CENT, ROUND_HALF_UP)


def per_capita(net: Decimal, household_size: int) -> Decimal:
    return (net / household_size).quantize(CENT, ROUND_HALF_UP)


async def list_income(session: AsyncSession, principal: Principal, household_id: int) -> Sequence[HouseholdIncome]:
    await require_household(session, principal, household_id)
    return await repository.list_income(session, household_id)


async def get_income(session: AsyncSession, principal: Principal, household_id: int, year: int) -> HouseholdIncome:
    await require_household(session, principal, household_id)
    record = await repository.get_income(session, household_id, year)
    if record is None:
        raise NotFound(entity="income of household", key=f"{household_id} for {year}")
    return record


async def put_income(
    session: AsyncSession,
    principal: Principal,
    household_id: int,
    year: int,
    if_match: str | None,
    data: IncomeWrite,
    *,
    rules: RuleSettings,
    today: date,
) -> tuple[HouseholdIncome, bool]:
    """Create or replace the year's record; returns it and whether it was created."""
    household = await require_household(session, principal, household_id)
    if household.status == HouseholdStatus.dissolved:
        raise HouseholdDissolved(household_id=household_id, rule="household_dissolved")
    if year > today.year:
        raise FutureIncomeYear(year=year, today=today.isoformat(), rule="income_year_not_future")
    size = data.household_size or await repository.count_active_members(session, household_id)
    if size < 1:
        raise NoHouseholdSize(household_id=household_id, rule="household_size")

    record = await repository.get_income(session, household_id, year)
    created = record is None
    if record is None:
        if if_match is not None:
            # RFC 9110: If-Match on a resource that does not exist fails.
            raise PreconditionFailed(
                f"no income is recorded for {year}; send no If-Match to create it",
                detail_zh=f"{year} 年尚无收入记录；新建时请不要带 If-Match",
            )
        record = HouseholdIncome(household_id=household_id, year=year)
        session.add(record)
    else:
        check_version(if_match, record.version)
    for field in COMPONENTS:
        setattr(record, field, getattr(data, field))
    record.region_code = household.region_code
    record.household_size = size
    record.net_income = net_income(data)
    record.per_capita_net_income = per_capita(record.net_income, size)
    await session.flush()

    # The warnings behind this income change now; a year without a configured line refuses the write (422).
    await warnings.recompute_household(session, household_id, rules=rules, today=today)
    action = "created" if created else "updated"
    await outbox.publish_change(
        session, Topic.income_changed, "household_income", record.id, record.region_code, action
    )
    return record, created
