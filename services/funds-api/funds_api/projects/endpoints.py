"""Routes of the project library: declare, review, approve, read, history, notice, completion, library state."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Response, status

from dixian_shared.concurrency import IfMatch, set_etag
from dixian_shared.pagination import Page, PageParams, make_page, page_params
from dixian_shared.routing import DbSession, make_router
from funds_api.deps import (
    Calendar,
    Reader,
    RecordId,
    RegionFilter,
    Rules,
    Staff,
    Today,
    TownOrDistrict,
    Year,
)
from funds_api.exporting import XLSX_RESPONSES, exportable
from funds_api.labels import LIBRARY_LABELS
from funds_api.projects import library, service, workflow
from funds_api.projects.enums import ProjectStatus, ProjectType
from funds_api.projects.models import Project
from funds_api.projects.schemas import (
    Completion,
    DistrictApproval,
    LibraryProgress,
    ProjectCreate,
    ProjectNotice,
    ProjectRead,
    ProjectUpdate,
    StepRead,
    TownLibrary,
    TownReview,
)
from funds_api.values import FIRST_DAY, LAST_DAY

router = make_router(tags=["project library"])

Paging = Annotated[PageParams, Depends(page_params)]


def _respond(response: Response, project: Project) -> ProjectRead:
    set_etag(response, project.version)
    return ProjectRead.model_validate(project)


@router.post(
    "/projects",
    response_model=ProjectRead,
    status_code=status.HTTP_201_CREATED,
    summary="村申报: a village declares a project into a library year",
)
async def declare(
    session: DbSession, response: Response, principal: Staff, rules: Rules, today: Today, body: ProjectCreate
) -> ProjectRead:
    project = await service.declare(session, principal, body, today=today, library=rules.library)
    response.headers["Location"] = f"/projects/{project.id}"
    return _respond(response, project)


@router.get(
    "/projects", response_model=Page[ProjectRead], summary="Projects in the caller's region", responses=XLSX_RESPONSES
)
@exportable("项目库", labels={"status": "项目状态"})
async def list_projects(
    session: DbSession,
    principal: Reader,
    params: Paging,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    project_status: Annotated[ProjectStatus | None, Query(alias="status")] = None,
    project_type: Annotated[ProjectType | None, Query(alias="type")] = None,
    region_code: RegionFilter = None,
    # A NUL is no text PostgreSQL compares: refused here, naming the parameter, rather than by the database.
    owner_department: Annotated[str | None, Query(max_length=50, pattern=r"^[^\x00]*$")] = None,
) -> Page[ProjectRead]:
    rows = await service.list_projects(
        session,
        principal,
        params,
        year=year,
        status=project_status,
        type=project_type,
        region_code=region_code,
        owner_department=owner_department,
    )
    items, cursor = make_page(rows, params, lambda p: [p.id])
    return Page(items=[ProjectRead.model_validate(p) for p in items], next_cursor=cursor)


@router.get(
    "/project-library/{year}",
    response_model=LibraryProgress,
    summary="A library year per town: counts by state, complete or late against the deadline (31 October)",
    responses=XLSX_RESPONSES,
)
@exportable("项目库进度", items=lambda p: p.towns, model=TownLibrary, labels=LIBRARY_LABELS)
async def library_progress(
    session: DbSession,
    principal: Reader,
    rules: Rules,
    calendar: Calendar,
    today: Today,
    year: Year,
    on: Annotated[
        date | None, Query(ge=FIRST_DAY, le=LAST_DAY, description="the day to judge lateness on; default today")
    ] = None,
) -> LibraryProgress:
    return await library.progress(
        session, principal.region_prefix, year=year, on=on or today, rules=rules.library, calendar=calendar
    )


@router.get("/projects/{project_id}", response_model=ProjectRead, summary="A project")
async def get_project(session: DbSession, response: Response, principal: Reader, project_id: RecordId) -> ProjectRead:
    return _respond(response, await service.require(session, principal, project_id))


@router.patch(
    "/projects/{project_id}",
    response_model=ProjectRead,
    summary="Edit a project's description, contact or progress (If-Match); anything else goes through a change",
)
async def update_project(
    session: DbSession,
    response: Response,
    principal: Staff,
    project_id: RecordId,
    body: ProjectUpdate,
    if_match: IfMatch = None,
) -> ProjectRead:
    return _respond(response, await service.update(session, principal, project_id, if_match, body))


@router.post("/projects/{project_id}/town-review", response_model=ProjectRead, summary="乡审核 (town): agree or return")
async def town_review(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    project_id: RecordId,
    body: TownReview,
    if_match: IfMatch = None,
) -> ProjectRead:
    project = await workflow.town_review(session, principal, project_id, body, if_match=if_match, today=today)
    return _respond(response, project)


@router.post(
    "/projects/{project_id}/district-approval",
    response_model=ProjectRead,
    summary="区审定 (district): approve into the library or refuse",
)
async def district_approval(
    session: DbSession,
    response: Response,
    principal: Staff,
    today: Today,
    project_id: RecordId,
    body: DistrictApproval,
    if_match: IfMatch = None,
) -> ProjectRead:
    project = await workflow.district_approval(session, principal, project_id, body, if_match=if_match, today=today)
    return _respond(response, project)


@router.post("/projects/{project_id}/completion", response_model=ProjectRead, summary="项目完工 (town or district)")
async def complete(
    session: DbSession,
    response: Response,
    principal: TownOrDistrict,
    today: Today,
    project_id: RecordId,
    body: Completion,
) -> ProjectRead:
    return _respond(response, await service.complete(session, principal, project_id, body, today=today))


@router.get("/projects/{project_id}/history", response_model=list[StepRead], summary="Every step taken on a project")
async def history(session: DbSession, principal: Reader, project_id: RecordId) -> list[StepRead]:
    return [StepRead.model_validate(s) for s in await service.history(session, principal, project_id)]


@router.get("/projects/{project_id}/notice", response_model=ProjectNotice, summary="The project's public notice (公示)")
async def notice(session: DbSession, principal: Reader, project_id: RecordId) -> ProjectNotice:
    return await service.notice(session, principal, project_id)
