"""项目变更: a request states the fields after and why (the fields before are taken from the project); nothing
changes until the district approves; the approval applies the change, and every request stays as history."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit
from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from funds_api.disbursement import ledger
from funds_api.disbursement import repository as money
from funds_api.projects import repository
from funds_api.projects.enums import ChangeStatus, ProjectStatus, Step
from funds_api.projects.errors import (
    BudgetBelowAllocated,
    ChangeChangesNothing,
    ChangeDecided,
    ChangePending,
    NotApproved,
    ProjectMoved,
    ReasonRequired,
)
from funds_api.projects.models import Project, ProjectChange
from funds_api.projects.schemas import ChangeCreate, ChangeDecision
from funds_api.projects.service import add_step, check_funding_plan, check_village, require, town_of


def _current(project: Project, fields: Sequence[str]) -> dict[str, Any]:
    values = {field: getattr(project, field) for field in fields}
    return {k: (str(v) if isinstance(v, Decimal) else v.value if hasattr(v, "value") else v) for k, v in values.items()}


async def _check_budget(session: AsyncSession, project: Project, budget: Decimal) -> None:
    allocated = await money.allocated_to_project(session, project.id)
    if budget < allocated:
        raise BudgetBelowAllocated(project_id=project.id, allocated=allocated, budget=budget, field="body.after.budget")


async def request(
    session: AsyncSession, principal: Principal, project_id: int, data: ChangeCreate, *, today: date
) -> ProjectChange:
    project = await require(session, principal, project_id, lock=True)
    if project.status != ProjectStatus.approved:
        raise NotApproved(project_id=project.id, status=project.status, action="申请变更")
    pending = await repository.pending_change(session, project.id)
    if pending is not None:
        raise ChangePending(project_id=project.id, change_id=pending.id)
    after = data.after.model_dump(mode="json", exclude_none=True)
    before = _current(project, list(after))
    if not after or before == after:
        raise ChangeChangesNothing(project_id=project.id, field="body.after")
    if "region_code" in after:
        await check_village(session, principal, after["region_code"])
    budget = data.after.budget if data.after.budget is not None else project.budget
    check_funding_plan(after.get("funding_plan", project.funding_plan), budget)
    await _check_budget(session, project, budget)
    change = ProjectChange(
        project_id=project.id,
        region_code=project.region_code,
        reason=data.reason,
        before=before,
        after=after,
        project_version=project.version,
        status=ChangeStatus.pending,
        requested_on=today,
        requested_by=principal.subject,
    )
    session.add(change)
    await session.flush()
    return change


async def require_change(session: AsyncSession, principal: Principal, change_id: int) -> ProjectChange:
    change = await repository.get_change(session, principal, change_id)
    if change is None:
        raise NotFound(entity="project change", key=change_id)
    return change


async def decide(
    session: AsyncSession,
    principal: Principal,
    change_id: int,
    data: ChangeDecision,
    *,
    if_match: str | None,
    today: date,
) -> ProjectChange:
    change = await repository.get_change(session, principal, change_id, lock=True)
    if change is None:
        raise NotFound(entity="project change", key=change_id)
    if if_match is not None:
        check_version(if_match, change.version)
    if change.status != ChangeStatus.pending:
        raise ChangeDecided(change_id=change.id, status=change.status)
    project = await require(session, principal, change.project_id, lock=True)
    if not data.approve:
        if data.note is None:
            raise ReasonRequired(step=Step.change, field="body.note")
        _close(change, ChangeStatus.refused, principal, today, data.note)
        add_step(session, project, principal, Step.change, today, "未批准", data.note)
        await session.flush()
        return change
    if project.version != change.project_version:
        raise ProjectMoved(
            change_id=change.id, project_id=project.id, asked=change.project_version, current=project.version
        )
    after = dict(change.after)
    if "budget" in after:
        await _check_budget(session, project, Decimal(after["budget"]))
    for field, value in after.items():
        setattr(project, field, Decimal(value) if field == "budget" else value)
    if "region_code" in after:
        project.town_code = town_of(after["region_code"])
        change.region_code = after["region_code"]
        moved = await money.move_to_village(session, project.id, after["region_code"])
        await audit.record(
            session, "project", str(project.id), "move", {"region_code": after["region_code"], "money_rows": moved}
        )
    if "region_code" in after or "owner_department" in after:
        await session.flush()
        await ledger.follow(session, project.id)  # the running totals carry the project's place
    _close(change, ChangeStatus.approved, principal, today, data.note)
    add_step(session, project, principal, Step.change, today, "已批准", change.reason)
    await session.flush()
    return change


def _close(change: ProjectChange, status: ChangeStatus, principal: Principal, today: date, note: str | None) -> None:
    change.status = status
    change.decided_on = today
    change.decided_by = principal.subject
    change.decision_note = note


async def list_changes(
    session: AsyncSession, principal: Principal, params: PageParams, **filters: Any
) -> Sequence[ProjectChange]:
    return await repository.list_changes(session, principal, params, **filters)
