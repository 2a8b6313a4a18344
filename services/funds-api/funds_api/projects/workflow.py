"""The library's review steps, each by its role: 乡审核 (town, with the public notice) → 区审定 (district).

A town that disagrees returns the project (乡镇退回) with its opinion; the district approves it into the library
(已入库) or refuses it (区级未通过) with a reason. The district decides only after the public notice has ended.
"""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from funds_api.projects.enums import STEP_FROM, ProjectStatus, Step
from funds_api.projects.errors import NoticeDates, NoticeNotOver, ReasonRequired, StepDate, StepOutOfOrder
from funds_api.projects.models import Project
from funds_api.projects.schemas import DistrictApproval, TownReview
from funds_api.projects.service import add_step, check_role, require


async def _open_step(
    session: AsyncSession,
    principal: Principal,
    project_id: int,
    step: Step,
    if_match: str | None,
    taken_on: date | None,
    today: date,
) -> tuple[Project, date]:
    check_role(principal, step)
    project = await require(session, principal, project_id, lock=True)
    if if_match is not None:
        check_version(if_match, project.version)
    if project.status != STEP_FROM[step]:
        raise StepOutOfOrder(project_id=project.id, status=project.status, step=step)
    on = taken_on or today
    if not project.declared_on <= on <= today:
        raise StepDate(what="taken_on", value=on, earliest=project.declared_on, today=today, field="body.taken_on")
    return project, on


def _decide(project: Project, status: ProjectStatus, on: date, reason: str | None) -> None:
    project.status = status
    project.decided_on = on
    project.refusal_reason = reason


async def town_review(
    session: AsyncSession, principal: Principal, project_id: int, data: TownReview, *, if_match: str | None, today: date
) -> Project:
    project, on = await _open_step(session, principal, project_id, Step.town_review, if_match, data.taken_on, today)
    if not data.agree:
        if data.opinion is None:
            raise ReasonRequired(step=Step.town_review, field="body.opinion")
        _decide(project, ProjectStatus.returned, on, data.opinion)
        add_step(session, project, principal, Step.town_review, on, "退回", data.opinion)
        await session.flush()
        return project
    start, end = data.notice_start, data.notice_end
    if start is None or end is None or start < project.declared_on or end < start:
        raise NoticeDates(earliest=project.declared_on, field="body.notice_start")
    project.notice_start, project.notice_end = start, end
    project.status = ProjectStatus.awaiting_district
    add_step(session, project, principal, Step.town_review, on, "同意", data.opinion)
    await session.flush()
    return project


async def district_approval(
    session: AsyncSession,
    principal: Principal,
    project_id: int,
    data: DistrictApproval,
    *,
    if_match: str | None,
    today: date,
) -> Project:
    project, on = await _open_step(
        session, principal, project_id, Step.district_approval, if_match, data.taken_on, today
    )
    assert project.notice_end is not None  # set by the agreeing town review that led here
    if on <= project.notice_end:
        raise NoticeNotOver(notice_end=project.notice_end, taken_on=on, field="body.taken_on")
    if data.approve:
        _decide(project, ProjectStatus.approved, on, None)
        add_step(session, project, principal, Step.district_approval, on, "入库", data.reason)
    else:
        if data.reason is None:
            raise ReasonRequired(step=Step.district_approval, field="body.reason")
        _decide(project, ProjectStatus.refused, on, data.reason)
        add_step(session, project, principal, Step.district_approval, on, "不予通过", data.reason)
    await session.flush()
    return project
