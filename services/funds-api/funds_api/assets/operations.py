"""Business rules of the asset survey (四个一批), asset income and its distribution, and photovoltaic output."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from funds_api.assets import operations_repository as repository
from funds_api.assets import service as assets
from funds_api.assets import upkeep
from funds_api.assets.enums import AssetCategory, AssetKind, BeneficiaryGroup, SurveyState, UpkeepLevel
from funds_api.assets.errors import DistributionOverIncome, NotAPvStation, SurveyClosed, SurveyNotOperating
from funds_api.assets.models import AssetIncome, AssetSurvey, IncomeDistribution, PvOutput
from funds_api.assets.operation_schemas import (
    AssetOverview,
    CategoryCount,
    DistributionCreate,
    IncomeCreate,
    IncomeSummary,
    PvOutputCreate,
    SurveyCreate,
    SurveyHandling,
)
from funds_api.assets.repository import missing_counts
from funds_api.assets.repository import scope as asset_scope
from funds_api.rules import AssetRules

SHARE = Decimal("0.0001")


def special_share(to_special: Decimal, distributed: Decimal) -> Decimal | None:
    """The share of distributed asset income that reached special groups (rounded half-up to 4 places)."""
    return None if distributed == 0 else (to_special / distributed).quantize(SHARE, rounding=ROUND_HALF_UP)


def _not_after(field: str, value: date, today: date, earliest: date) -> None:
    if not earliest <= value <= today:
        raise InvalidField(
            f"body.{field}", f"between {earliest} and today ({today})", f"应在 {earliest} 至今天（{today}）之间"
        )


async def survey(
    session: AsyncSession, principal: Principal, asset_id: int, data: SurveyCreate, today: date
) -> AssetSurvey:
    asset = await assets.require(session, principal, asset_id)
    if asset.category is not AssetCategory.operating:
        raise SurveyNotOperating(asset_id=asset.id, category=asset.category.value)
    _not_after("surveyed_on", data.surveyed_on, today, asset.formed_on)
    record = AssetSurvey(asset_id=asset.id, region_code=asset.region_code, state=SurveyState.open, **data.model_dump())
    session.add(record)
    await session.flush()
    return record


async def require_survey(session: AsyncSession, principal: Principal, survey_id: int) -> AssetSurvey:
    record = await repository.get_survey(session, principal, survey_id)
    if record is None:
        raise NotFound(entity="asset survey", key=survey_id)
    return record


async def handle(
    session: AsyncSession,
    principal: Principal,
    survey_id: int,
    if_match: str | None,
    data: SurveyHandling,
    today: date,
) -> AssetSurvey:
    record = await require_survey(session, principal, survey_id)
    check_version(if_match, record.version)
    if record.state is SurveyState.done:
        raise SurveyClosed(survey_id=record.id, handled_on=record.handled_on)
    if data.handled_on is not None:
        _not_after("handled_on", data.handled_on, today, record.surveyed_on)
    for field, value in data.model_dump().items():
        setattr(record, field, value)
    await session.flush()
    return record


async def record_income(
    session: AsyncSession, principal: Principal, asset_id: int, data: IncomeCreate, today: date
) -> AssetIncome:
    asset = await assets.require(session, principal, asset_id)
    _not_after("received_on", data.received_on, today, asset.formed_on)
    income = AssetIncome(asset_id=asset.id, region_code=asset.region_code, **data.model_dump())
    session.add(income)
    await session.flush()
    return income


async def distribute(
    session: AsyncSession, principal: Principal, income_id: int, data: DistributionCreate, today: date
) -> IncomeDistribution:
    # The income row is locked so two distributions racing for its last yuan queue, and the second is refused.
    income = await repository.get_income(session, principal, income_id, lock=True)
    if income is None:
        raise NotFound(entity="asset income", key=income_id)
    _not_after("distributed_on", data.distributed_on, today, income.received_on)
    done = await repository.distributed(session, income.id)
    if done + data.amount > income.amount:
        raise DistributionOverIncome(
            field="body.amount", income_id=income.id, amount=income.amount, distributed=done, requested=data.amount
        )
    line = IncomeDistribution(income_id=income.id, **data.model_dump())
    session.add(line)
    await session.flush()
    return line


async def income_summary(
    session: AsyncSession, principal: Principal, year: int, region_code: str | None
) -> IncomeSummary:
    code = region_code or principal.region_code
    if not principal.can_access(code):
        raise NotFound(entity="region", key=code)
    prefix = regioncode.prefix(code)
    by_group = {
        BeneficiaryGroup(g): Decimal(a) for g, a in await repository.distributed_by_group(session, year, prefix)
    }
    distributed = sum(by_group.values(), Decimal(0))
    special = by_group.get(BeneficiaryGroup.special, Decimal(0))
    return IncomeSummary(
        year=year,
        region_code=code,
        income=await repository.income_of_year(session, year, prefix),
        distributed=distributed,
        to_special_groups=special,
        special_share=special_share(special, distributed),
        by_group={group: by_group.get(group, Decimal(0)) for group in BeneficiaryGroup},
    )


async def report_pv(
    session: AsyncSession, principal: Principal, asset_id: int, data: PvOutputCreate, today: date
) -> PvOutput:
    asset = await assets.require(session, principal, asset_id)
    if asset.kind is not AssetKind.pv_station:
        raise NotAPvStation(asset_id=asset.id, kind=asset.kind.value)
    month = date.fromisoformat(f"{data.month}-01")
    if month > today or month < asset.formed_on.replace(day=1):
        raise InvalidField(
            "body.month",
            f"between the station's first month and this month ({today:%Y-%m})",
            f"应在电站的第一个月至本月（{today:%Y-%m}）之间",
        )
    record = PvOutput(
        asset_id=asset.id, region_code=asset.region_code, month=month, output_kwh=data.output_kwh, income=data.income
    )
    session.add(record)
    await session.flush()
    return record


async def overview(
    session: AsyncSession, principal: Principal, rules: AssetRules, on: date, region_code: str | None
) -> AssetOverview:
    code = region_code or principal.region_code
    if not principal.can_access(code):
        raise NotFound(entity="region", key=code)
    prefix = regioncode.prefix(code)
    missing = await missing_counts(session, upkeep.missing(rules, on, asset_scope(None, prefix)))
    surveys = await repository.survey_counts(session, prefix)
    return AssetOverview(
        on=on,
        region_code=code,
        by_category=[
            CategoryCount(category=row.category, assets=row.assets, value=row.value)
            for row in await repository.by_category(session, prefix)
        ],
        upkeep_missing={level: missing.get(level.value, 0) for level in UpkeepLevel},
        surveys={state: surveys.get(state.value, 0) for state in SurveyState},
    )
