"""Every elimination query, and the facts its preconditions read; region scoping is applied in the query."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.elimination.enums import OPEN_STATUSES, EliminationKind, EliminationStatus
from monitoring_api.elimination.models import Elimination, EliminationStepRecord
from monitoring_api.income.models import HouseholdIncome
from monitoring_api.measures.enums import MeasureStatus
from monitoring_api.measures.models import Measure
from monitoring_api.warnings.enums import Line
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


async def delivered_measure_count(session: AsyncSession, household_id: int) -> int:
    """Measures delivered: completed, or in progress with results already written down."""
    delivered = or_(
        Measure.status == MeasureStatus.completed,
        and_(Measure.status == MeasureStatus.in_progress, func.length(func.btrim(Measure.results)) > 0),
    )
    stmt = select(func.count()).where(Measure.household_id == household_id, delivered)
    return int(await session.scalar(stmt) or 0)


async def latest_incomes(session: AsyncSession, household_id: int, years: int) -> list[tuple[int, Decimal]]:
    stmt = (
        select(HouseholdIncome.year, HouseholdIncome.per_capita_net_income)
        .where(HouseholdIncome.household_id == household_id)
        .order_by(HouseholdIncome.year.desc())
        .limit(years)
    )
    return [(row.year, row.per_capita_net_income) for row in (await session.execute(stmt)).all()]


async def last_step_date(session: AsyncSession, elimination: Elimination) -> date:
    """The day the previous step was done (or the opening day): a step cannot be dated before it."""
    stmt = select(func.max(EliminationStepRecord.done_on)).where(EliminationStepRecord.elimination_id == elimination.id)
    return await session.scalar(stmt) or elimination.opened_on


async def open_guarantee_warnings(session: AsyncSession, household_id: int) -> list[str]:
    """Open 保障线 warnings of the household (three guarantees and water), as "rule (subject)"."""
    stmt = (
        select(HouseholdWarning.rule, HouseholdWarning.subject)
        .where(
            HouseholdWarning.household_id == household_id,
            HouseholdWarning.line == Line.guarantee,
            HouseholdWarning.resolved_at.is_(None),
        )
        .order_by(HouseholdWarning.id)
    )
    rows = (await session.execute(stmt)).all()
    return [f"{row.rule} ({row.subject})" if row.subject else row.rule for row in rows]
