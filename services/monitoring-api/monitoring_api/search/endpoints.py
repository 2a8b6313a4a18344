"""Find a household or a person by name, pinyin initials, ID number or phone, within the caller's region."""

from typing import Annotated

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from dixian_shared import personal
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from monitoring_api.deps import Reader
from monitoring_api.households.enums import Category, MemberStatus, Relation
from monitoring_api.search import service

router = make_router(tags=["search"])


class SearchHit(BaseModel):
    member_id: int
    name: str
    relation: Relation
    sex: str
    id_number: str = Field(description="masked (360702********123X) except for the roles that keep the record")
    id_number_masked: bool
    member_status: MemberStatus
    household_id: int
    household_number: str | None
    head_name: str
    category: Category
    region_code: str


@router.get(
    "/search",
    response_model=Page[SearchHit],
    summary="People and their households by name (or its start), pinyin initials (zs → 张三), ID number or phone; "
    "audited",
)
async def search(
    session: DbSession,
    principal: Reader,
    params: Annotated[PageParams, Depends(page_params)],
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=50,
            description="an ID number or phone (exact), pinyin initials or the start of a name",
        ),
    ],
) -> Page[SearchHit]:
    rows, shown = await service.search(session, principal, params, q)
    if shown:
        personal.set_full_view(True)  # the village that keeps these records: shown in full, the search audited
    items, cursor = make_page(rows, params, lambda r: [r[0].id])
    hits = [
        SearchHit(
            member_id=m.id,
            name=m.name,
            relation=m.relation,
            sex=m.sex,
            id_number=service.id_number_for(m.id_number, shown),
            id_number_masked=not shown,
            member_status=m.status,
            household_id=m.household_id,
            household_number=number,
            head_name=head,
            category=category,
            region_code=m.region_code,
        )
        for m, head, category, number in items
    ]
    return Page(items=hits, next_cursor=cursor)
