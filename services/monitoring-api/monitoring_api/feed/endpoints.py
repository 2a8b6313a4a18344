"""GET /service/members: what employment-api needs of a member to keep its labour roster in step (ids in events)."""

from typing import Annotated

from fastapi import Depends, Query

from dixian_shared.auth.deps import require_service_scope
from dixian_shared.auth.principal import Principal
from dixian_shared.contracts import RegistryMember, RegistryMemberPage, ServiceScope
from dixian_shared.pagination import PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from monitoring_api.feed import repository
from monitoring_api.households.enums import Category, LabourSkill

router = make_router(tags=["service"])

RegistryReader = Annotated[Principal, Depends(require_service_scope(ServiceScope.registry_read))]


@router.get(
    "/service/members", response_model=RegistryMemberPage, summary="Members for a sibling service (registry.read)"
)
async def feed_members(
    session: DbSession,
    principal: RegistryReader,
    params: Annotated[PageParams, Depends(page_params)],
    member_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    household_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    category: Annotated[list[Category] | None, Query(description="only households of these categories")] = None,
    labour_skill: Annotated[list[LabourSkill] | None, Query(description="only members with these 劳动技能")] = None,
    active_only: bool = False,
) -> RegistryMemberPage:
    rows, observed_at = await repository.members(
        session,
        principal,
        params,
        member_id=member_id,
        household_id=household_id,
        categories=[str(c) for c in category or ()],
        labour_skills=[str(s) for s in labour_skill or ()],
        active_only=active_only,
    )
    items, cursor = make_page(rows, params, lambda row: [row.member_id])
    return RegistryMemberPage(
        items=[RegistryMember.model_validate(row, from_attributes=True) for row in items],
        next_cursor=cursor,
        observed_at=observed_at,
    )
