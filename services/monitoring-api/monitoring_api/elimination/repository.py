"""Every elimination query, and the facts its preconditions read; region scoping is applied in the query."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.elimination.enums import OPEN_STATUSES, EliminationKind, EliminationStatus
from monitoring_api.elimination.models import Elimination, EliminationStepRecord
from monitoring_api.elimination.preconditions import Facts
from monitoring_api.households.enums import HouseholdStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.income.models import HouseholdIncome
from monitoring_api.measures.enums import MeasureStatus
from monitoring_api.measures.models import Measure
from monitoring_api.rules import RuleSettings
from monitoring_api.warnings.enums import Line, Source, SystemRule
from monitoring_api.warnings.models import HouseholdWarning


async def get_elimination(
    session: AsyncSession, principal: Principal, elimination_id: int, *, with_steps: bool = False
) -> Elimination | None:
    stmt = select(Elimination).where(Elimination.id == elimination_id, in_scope(Elimination.region_code, principal))
    if with_steps:
        # Refresh the collection even when the elimination is already in the session (a step was just added).
        stmt = stmt.options(selectinload(Elimination.steps)).execution_options(populate_existing=True)
    return await session.scalar(stmt)


async def open_elimination_of(session: AsyncSession, household_id: int) -> Elimination | None:
    stmt = select(Elimination).where(Elimination.household_id == household_id, Elimination.status.in_(OPEN_STATUSES))
    return await session.scalar(stmt)


async def list_eliminations(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    household_id: int | None = None,
    region_code: str | None = None,
    status: EliminationStatus | None = None,
    kind: EliminationKind | None = None,
) -> Sequence[Elimination]:
    stmt = select(Elimination).where(in_scope(Elimination.region_code, principal))
    if household_id is not None:
        stmt = stmt.where(Elimination.household_id == household_id)
    if region_code is not None:
        stmt = stmt.where(under_region(Elimination.region_code, regioncode.prefix(region_code)))
    if status is not None:
        stmt = stmt.where(Elimination.status == status)
    if kind is not None:
        stmt = stmt.where(Elimination.kind == kind)
    return (await session.scalars(apply_keyset(stmt, [Elimination.id], params))).all()


def _delivered() -> ColumnElement[bool]:
    """A measure delivered: completed, or in progress with results already written down."""
    return or_(
        Measure.status == MeasureStatus.completed,
        and_(Measure.status == MeasureStatus.in_progress, func.length(func.btrim(Measure.results)) > 0),
    )


async def facts_for(
    session: AsyncSession, households: Sequence[Household], rules: RuleSettings, today: date
) -> dict[int, Facts]:
    """The facts the preconditions read, for many households in four set-based queries (one household: the same)."""
    ids = [h.id for h in households]
    members: dict[int, list[Member]] = defaultdict(list)
    for member in (await session.scalars(select(Member).where(Member.household_id.in_(ids)).order_by(Member.id))).all():
        members[member.household_id].append(member)
    delivered_stmt = (
        select(Measure.household_id, func.count())
        .where(Measure.household_id.in_(ids), _delivered())
        .group_by(Measure.household_id)
    )
    delivered = {hid: int(n) for hid, n in (await session.execute(delivered_stmt)).all()}
    rank = func.row_number().over(partition_by=HouseholdIncome.household_id, order_by=HouseholdIncome.year.desc())
    ranked = (
        select(
            HouseholdIncome.household_id,
            HouseholdIncome.year,
            HouseholdIncome.per_capita_net_income.label("value"),
            rank.label("rank"),
        )
        .where(HouseholdIncome.household_id.in_(ids))
        .subquery("ranked")
    )
    incomes_stmt = (
        select(ranked.c.household_id, ranked.c.year, ranked.c.value)
        .where(ranked.c.rank <= rules.elimination_income_stable_years)
        .order_by(ranked.c.household_id, ranked.c.year.desc())
    )
    incomes: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for hid, year, value in (await session.execute(incomes_stmt)).all():
        incomes[hid].append((year, value))
    # The open 保障线 warnings, and the 收入线 ones the province's verified income raised below the line.
    province_below = and_(
        HouseholdWarning.line == Line.income,
        HouseholdWarning.source == Source.province,
        HouseholdWarning.rule == SystemRule.income_below_threshold,
    )
    warnings_stmt = (
        select(
            HouseholdWarning.household_id,
            HouseholdWarning.line,
            HouseholdWarning.rule,
            HouseholdWarning.subject,
            HouseholdWarning.data,
        )
        .where(
            HouseholdWarning.household_id.in_(ids),
            or_(HouseholdWarning.line == Line.guarantee, province_below),
            HouseholdWarning.resolved_at.is_(None),
        )
        .order_by(HouseholdWarning.id)
    )
    warnings: dict[int, list[str]] = defaultdict(list)
    verified_below: dict[int, list[str]] = defaultdict(list)
    for hid, line, rule, subject, data in (await session.execute(warnings_stmt)).all():
        if line == Line.income:
            verified_below[hid].append(f"{data.get('year')}: {data.get('per_capita_net_income')}")
        else:
            warnings[hid].append(f"{rule} ({subject})" if subject else rule)
    return {
        h.id: Facts(
            today=today,
            included_on=h.included_on,
            members=members[h.id],
            delivered_measures=delivered.get(h.id, 0),
            incomes=incomes[h.id],
            risk_causes=list(h.risk_causes or []),
            guarantee_warnings=warnings[h.id],
            verified_below_line=verified_below[h.id],
        )
        for h in households
    }


async def subjects_at_risk(
    session: AsyncSession, principal: Principal, params: PageParams, *, region_code: str | None = None
) -> Sequence[Household]:
    """Active subjects at risk with no elimination in progress: the candidates of the ready-to-propose list."""
    running = exists().where(Elimination.household_id == Household.id, Elimination.status.in_(OPEN_STATUSES))
    stmt = select(Household).where(
        in_scope(Household.region_code, principal),
        Household.status == HouseholdStatus.active,
        Household.at_risk,
        ~running,
    )
    if region_code is not None:
        stmt = stmt.where(under_region(Household.region_code, regioncode.prefix(region_code)))
    return (await session.scalars(apply_keyset(stmt, [Household.id], params))).all()


async def last_step_date(session: AsyncSession, elimination: Elimination) -> date:
    """The day the previous step was done (or the opening day): a step cannot be dated before it."""
    stmt = select(func.max(EliminationStepRecord.done_on)).where(EliminationStepRecord.elimination_id == elimination.id)
    return await session.scalar(stmt) or elimination.opened_on
