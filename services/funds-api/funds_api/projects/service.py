"""Business rules of the project library: declaring (村申报), plain edits, completion and the public notice."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from dixian_shared.regioncode import RegionLevel
from funds_api.assets import service as assets
from funds_api.projects import repository
from funds_api.projects.enums import STEP_ROLE, Progress, ProjectStatus, Step
from funds_api.projects.errors import (
    AlreadyCompleted,
    FundingPlanOverBudget,
    LibraryNotOpen,
    NoNotice,
    NotApproved,
    NotAVillage,
    StepDate,
    StepRoleForbidden,
)
from funds_api.projects.models import Project, ProjectStep
from funds_api.projects.schemas import Completion, ProjectCreate, ProjectNotice, ProjectUpdate
from funds_api.rules import LibraryRules


def town_of(village_code: str) -> str:
    return village_code[:9] + "000"


async def require(session: AsyncSession, principal: Principal, project_id: int, *, lock: bool = False) -> Project:
    project = await repository.get(session, principal, project_id, lock=lock)
    if project is None:
        raise NotFound(entity="project", key=project_id)
    return project


def check_role(principal: Principal, step: Step) -> None:
    allowed = STEP_ROLE[step]
    if principal.role != allowed:
        raise StepRoleForbidden(step=step, allowed=allowed, role=principal.role)


def check_funding_plan(plan: list[dict[str, Any]], budget: Decimal) -> None:
    planned = sum((Decimal(str(item["amount"])) for item in plan), Decimal("0.00"))
    if planned > budget:
        raise FundingPlanOverBudget(planned=planned, budget=budget, field="body.funding_plan")


async def check_village(session: AsyncSession, principal: Principal, code: str) -> None:
    if not principal.can_access(code):
        raise NotFound(entity="region", key=code)  # never reveal places outside the caller's region
    if regioncode.level(code) != RegionLevel.village or await repository.region_level(session, code) != "village":
        raise NotAVillage(region_code=code, field="body.region_code")


def check_library_open(library: LibraryRules, year: int, today: date) -> None:
    """A library year takes declarations from its opening (July of the year before) to the end of its own year."""
    opens_on, closes_on = library.opens_for(year), date(year, 12, 31)
    if not opens_on <= today <= closes_on:
        raise LibraryNotOpen(year=year, opens_on=opens_on, closes_on=closes_on, today=today, field="body.year")


def add_step(
    session: AsyncSession, project: Project, principal: Principal, step: Step, on: date, result: str, note: str | None
) -> None:
    session.add(
        ProjectStep(
            project_id=project.id,
            step=step,
            taken_on=on,
            actor=principal.subject,
            actor_role=str(principal.role),
            result=result,
            note=note,
        )
    )


async def declare(
    session: AsyncSession, principal: Principal, data: ProjectCreate, *, today: date, library: LibraryRules
) -> Project:
    check_role(principal, Step.declare)
    await check_village(session, principal, data.region_code)
    check_library_open(library, data.year, today)
    values = data.model_dump(mode="json")
    check_funding_plan(values["funding_plan"], data.budget)
    project = Project(
        **data.model_dump(exclude={"funding_plan", "performance_targets"}),
        funding_plan=values["funding_plan"],
        performance_targets=values["performance_targets"],
        town_code=town_of(data.region_code),
        status=ProjectStatus.awaiting_town,
        declared_on=today,
        declared_by=principal.subject,
        progress=Progress.not_started,
    )
    session.add(project)
    await session.flush()
    add_step(session, project, principal, Step.declare, today, "已申报", None)
    await session.flush()
    return project


async def update(
    session: AsyncSession, principal: Principal, project_id: int, if_match: str | None, data: ProjectUpdate
) -> Project:
    project = await require(session, principal, project_id)
    check_version(if_match, project.version)
    changes = data.model_dump(exclude_unset=True)
    if "progress" in changes:
        if changes["progress"] is None:
            changes.pop("progress")
        elif project.status != ProjectStatus.approved:
            raise NotApproved(project_id=project.id, status=project.status, action="记录实施进度")
        elif project.progress == Progress.completed:
            raise AlreadyCompleted(project_id=project.id, completed_on=project.completed_on)
    for field, value in changes.items():
        setattr(project, field, value)
    await session.flush()
    return project


async def complete(
    session: AsyncSession, principal: Principal, project_id: int, data: Completion, *, today: date
) -> Project:
    """项目完工: an approved project is finished; assets formed by it may be registered from then on."""
    project = await require(session, principal, project_id, lock=True)
    if project.status != ProjectStatus.approved:
        raise NotApproved(project_id=project.id, status=project.status, action="登记完工")
    if project.completed_on is not None:
        raise AlreadyCompleted(project_id=project.id, completed_on=project.completed_on)
    earliest = project.decided_on or project.declared_on
    if not earliest <= data.completed_on <= today:
        raise StepDate(
            what="completed_on", value=data.completed_on, earliest=earliest, today=today, field="body.completed_on"
        )
    project.progress = Progress.completed
    project.completed_on = data.completed_on
    add_step(session, project, principal, Step.completion, data.completed_on, "已完工", None)
    await session.flush()
    # The assets come into being with the completion, in the same transaction: a refused asset refuses both.
    await assets.form(session, principal, project, data.assets, data.completed_on)
    return project


async def notice(session: AsyncSession, principal: Principal, project_id: int) -> ProjectNotice:
    project = await require(session, principal, project_id)
    if project.notice_start is None or project.notice_end is None:
        raise NoNotice(project_id=project.id)
    return ProjectNotice.model_validate(
        {
            "project_id": project.id,
            **{
                k: getattr(project, k)
                for k in ("year", "name", "type", "region_code", "owner_department", "budget", "performance_targets")
            },
            "notice_start": project.notice_start,
            "notice_end": project.notice_end,
        }
    )


async def list_projects(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[Project]:
    return await repository.list_projects(session, principal, params, **filters)


async def history(session: AsyncSession, principal: Principal, project_id: int) -> Sequence[ProjectStep]:
    project = await require(session, principal, project_id)
    return await repository.steps(session, project.id)
