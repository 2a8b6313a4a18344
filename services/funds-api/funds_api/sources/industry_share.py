"""§7: the share of the year's central connection funds allocated to 产业 projects — the one definition of the rule,
used by the share endpoint and the quarterly bulletin alike.

The share is taken of all central funds of the year (not of what is allocated so far): unallocated central money
does not count toward industry, so the share grows as the implementation plan allocates it.
"""

from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, in_scope
from funds_api.disbursement.models import Allocation
from funds_api.projects.enums import ProjectType
from funds_api.projects.models import Project
from funds_api.sources.enums import FundLevel
from funds_api.sources.models import FundSource
from funds_api.sources.schemas import CentralIndustryShare, IndustryProject

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def share_met(industry_allocated: Decimal, central_total: Decimal, min_share: Decimal) -> bool:
    """Exact: no rounding of the share decides the rule. With no central funds there is nothing to miss."""
    return central_total == 0 or industry_allocated >= central_total * min_share


async def central_industry_share(
    session: AsyncSession, principal: Principal, *, year: int, as_of: date, min_share: Decimal
) -> CentralIndustryShare:
    central = (
        FundSource.level == FundLevel.central,
        FundSource.year == year,
        in_scope(FundSource.region_code, principal),
    )
    central_total = await session.scalar(select(func.coalesce(func.sum(FundSource.amount), ZERO)).where(*central))
    rows = (
        await session.execute(
            select(
                Project.id,
                Project.name,
                Project.region_code,
                Project.owner_department,
                Project.type,
                func.sum(Allocation.amount).label("amount"),
            )
            .join(Allocation, Allocation.project_id == Project.id)
            .join(FundSource, FundSource.id == Allocation.fund_source_id)
            .where(*central, Allocation.allocated_on <= as_of)
            .group_by(Project.id)
            .order_by(func.sum(Allocation.amount).desc(), Project.id)
        )
    ).all()
    total = central_total or ZERO
    allocated = sum((r.amount for r in rows), ZERO)
    industry = [r for r in rows if r.type == ProjectType.industry]
    industry_allocated = sum((r.amount for r in industry), ZERO)
    needed = (total * min_share).quantize(CENT, ROUND_CEILING)
    return CentralIndustryShare(
        year=year,
        as_of=as_of,
        central_total=total,
        central_allocated=allocated,
        industry_allocated=industry_allocated,
        share=(industry_allocated / total).quantize(Decimal("0.0001"), ROUND_HALF_UP) if total else None,
        min_share=min_share,
        met=share_met(industry_allocated, total, min_share),
        shortfall=max(needed - industry_allocated, ZERO),
        projects=[
            IndustryProject(
                project_id=r.id,
                name=r.name,
                region_code=r.region_code,
                owner_department=r.owner_department,
                central_allocated=r.amount,
            )
            for r in industry
        ],
    )
