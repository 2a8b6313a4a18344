"""预算评审 / 结算评审 recorded per project: a budget review any time after declaration, a settlement review once the
project is completed. A review records what the agency found; the budget itself changes only by a 项目变更."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from funds_api.projects import repository
from funds_api.projects.enums import ReviewKind
from funds_api.projects.errors import SettlementBeforeCompletion, StepDate
from funds_api.projects.models import ProjectReview
from funds_api.projects.schemas import ReviewCreate
from funds_api.projects.service import require


async def record(
    session: AsyncSession, principal: Principal, project_id: int, data: ReviewCreate, *, today: date
) -> ProjectReview:
    project = await require(session, principal, project_id)
    earliest = project.declared_on
    if data.kind == ReviewKind.settlement:
        if project.completed_on is None:
            raise SettlementBeforeCompletion(project_id=project.id, field="body.kind")
        earliest = project.completed_on
    if not earliest <= data.reviewed_on <= today:
        raise StepDate(
            what="reviewed_on", value=data.reviewed_on, earliest=earliest, today=today, field="body.reviewed_on"
        )
    review = ProjectReview(
        project_id=project.id, region_code=project.region_code, recorded_by=principal.subject, **data.model_dump()
    )
    session.add(review)
    await session.flush()
    return review


async def list_reviews(session: AsyncSession, principal: Principal, project_id: int) -> Sequence[ProjectReview]:
    project = await require(session, principal, project_id)
    return await repository.reviews(session, project.id)
