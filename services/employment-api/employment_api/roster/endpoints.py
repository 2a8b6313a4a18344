"""Routes of the labour roster (read only; it follows monitoring-api's registry)."""

from typing import Annotated

from fastapi import Depends, Query, Response

from dixian_shared.concurrency import set_etag
from dixian_shared.errors import NotFound
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.personal import PersonalData, as_seen_by
from dixian_shared.routing import DbSession, make_router
from employment_api.deps import RecordId, Staff
from employment_api.exporting import XLSX_RESPONSES, exportable
from employment_api.roster import repository
from employment_api.roster.schemas import LabourerRead

router = make_router(tags=["roster"])


@router.get(
    "/labourers",
    response_model=Page[LabourerRead],
    summary="Labourers of the roster in the caller's region",
    responses=XLSX_RESPONSES,
)
@exportable("劳动力台账")
async def list_labourers(
    session: DbSession,
    principal: Staff,
    params: Annotated[PageParams, Depends(page_params)],
    region_code: Annotated[str | None, Query(pattern=r"^\d{12}$", description="only under this region")] = None,
    qualifies: Annotated[bool | None, Query(description="true: on the roster now; false: left it")] = None,
    household_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Page[LabourerRead]:
    rows = await repository.page(
        session, principal, params, region_code=region_code, qualifies=qualifies, household_id=household_id
    )
    items, cursor = make_page(rows, params, lambda row: [row.region_code, row.id])
    return Page(items=[LabourerRead.model_validate(row) for row in items], next_cursor=cursor)


@router.get("/labourers/{labourer_id}", response_model=LabourerRead, summary="One labourer")
async def get_labourer(
    session: DbSession, response: Response, principal: Staff, personal: PersonalData, labourer_id: RecordId
) -> LabourerRead:
    labourer = await repository.get(session, principal, labourer_id)
    if labourer is None:
        raise NotFound(entity="labourer", key=labourer_id)
    set_etag(response, labourer.version)
    read = LabourerRead.model_validate(labourer)
    return await as_seen_by(session, principal, personal, read, "labourer", labourer.id)
