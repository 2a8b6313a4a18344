"""Business rules of the ledger: what an entry may say, who may change a month and when, submit and confirm.
Flushes, never commits."""

from collections.abc import Mapping
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, Role
from dixian_shared.concurrency import check_version
from dixian_shared.errors import InvalidField, NotFound
from dixian_shared.workdays import WorkdayCalendar
from employment_api.ledger import repository
from employment_api.ledger.deadlines import month_deadlines, past, step_deadline
from employment_api.ledger.enums import EmploymentStatus
from employment_api.ledger.errors import (
    AlreadyDone,
    EntryExists,
    JobFieldsForStatus,
    LedgerIncomplete,
    MonthConfirmed,
    MonthLocked,
    MonthNotBegun,
    MonthSubmitted,
    NotAVillage,
    NotOnRoster,
    NotSubmitted,
)
from employment_api.ledger.models import LedgerEntry, LedgerMonth
from employment_api.ledger.schemas import EntryCreate, EntryUpdate, JobFields
from employment_api.roster.models import Labourer
from employment_api.rules import RuleSettings
from employment_api.targets.changes import touch

JOB_ONLY = ("place", "employer", "monthly_income", "job_channel")


def job_field_problem(status: str, place: object, others: Mapping[str, object]) -> tuple[str, str, str] | None:
    """The one definition of the rule job-fields-follow-status, on plain values (the API and the sheet use it):
    未就业 has no job to describe; every other status says where the job is. (field, reason, reason_zh) or None."""
    if status == EmploymentStatus.unemployed:
        for name in JOB_ONLY:
            if (place if name == "place" else others.get(name)) is not None:
                return name, f"{name} is given but the status is 未就业", f"就业状态为未就业，不应填写{LABELS_ZH[name]}"
        return None
    if place is None:
        return "place", f"status {status} needs the place of work (务工地点)", f"就业状态为{status}，须填写务工地点"
    return None


def check_job_fields(fields: JobFields, prefix: str = "body") -> None:
    others = {name: getattr(fields, name) for name in JOB_ONLY}
    problem = job_field_problem(fields.status, fields.place, others)
    if problem is not None:
        name, reason, reason_zh = problem
        raise JobFieldsForStatus(field=f"{prefix}.{name}", reason=reason, reason_zh=reason_zh)


LABELS_ZH = {"place": "务工地点", "employer": "就业单位", "monthly_income": "月收入", "job_channel": "就业渠道"}


def month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def lateness(
    principal: Principal,
    month_row: LedgerMonth,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    today: date,
    late_reason: str | None,
) -> bool:
    """Whether a change to the month is late; refused when it is late and gives no reason."""
    label = month_label(month_row.month)
    if principal.role == Role.village and month_row.submitted_at is not None:
        raise MonthSubmitted(region_code=month_row.region_code, month=label)
    if month_row.confirmed_at is not None:
        if late_reason is None:
            raise MonthConfirmed(field="body.late_reason", region_code=month_row.region_code, month=label)
        return True
    deadline = step_deadline(month_deadlines(month_row.month, rules, calendar), principal)
    if not past(deadline, today):
        return False
    if late_reason is None:
        step = "村级填报" if principal.role == Role.village else "镇级确认"
        raise MonthLocked(field="body.late_reason", month=label, deadline=deadline.effective, step=step)
    return True


async def create_entry(
    session: AsyncSession,
    principal: Principal,
    month: date,
    body: EntryCreate,
    *,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    today: date,
) -> LedgerEntry:
    labourer, on_roster = await repository.labourer(session, principal, body.labourer_id, month, rules)
    if labourer is None:
        raise NotFound(entity="labourer", key=body.labourer_id)
    if not on_roster:
        raise NotOnRoster(field="body.labourer_id", labourer_id=labourer.id, month=month_label(month))
    check_job_fields(body)
    month_row = await repository.month_row(session, labourer.region_code, month, lock=True)
    late = lateness(principal, month_row, rules, calendar, today, body.late_reason)
    existing = await repository.entry_for(session, labourer.id, month)
    if existing is not None:
        raise EntryExists(labourer_id=labourer.id, entry_id=existing.id, month=month_label(month))
    entry = LedgerEntry(
        labourer_id=labourer.id,
        month=month,
        region_code=labourer.region_code,
        household_id=labourer.household_id,
        **body.model_dump(include=set(JobFields.model_fields)),
        late=late,
        late_reason=body.late_reason if late else None,
    )
    session.add(entry)
    await session.flush()
    await touch(session, [entry.region_code])
    return entry


async def require_entry(session: AsyncSession, principal: Principal, entry_id: int) -> LedgerEntry:
    entry = await repository.entry(session, principal, entry_id)
    if entry is None:
        raise NotFound(entity="ledger entry", key=entry_id)
    return entry


async def update_entry(
    session: AsyncSession,
    principal: Principal,
    entry_id: int,
    if_match: str | None,
    body: EntryUpdate,
    *,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    today: date,
) -> LedgerEntry:
    entry = await require_entry(session, principal, entry_id)
    check_version(if_match, entry.version)
    changes = body.model_dump(exclude_unset=True, exclude={"late_reason"})
    if "status" in changes and changes["status"] is None:
        raise InvalidField("body.status", "may be changed but not removed", "可以修改，但不能清空")
    merged = JobFields.model_validate({**{k: getattr(entry, k) for k in JobFields.model_fields}, **changes})
    if changes.get("status") == EmploymentStatus.unemployed:
        # Becoming 未就业 clears the job the entry described, unless the body says otherwise (then it is refused).
        merged = merged.model_copy(update={name: changes.get(name) for name in JOB_ONLY})
    check_job_fields(merged)
    month_row = await repository.month_row(session, entry.region_code, entry.month, lock=True)
    if lateness(principal, month_row, rules, calendar, today, body.late_reason):
        entry.late = True
        entry.late_reason = body.late_reason
    for name, value in merged.model_dump().items():
        setattr(entry, name, value)
    await session.flush()
    labourer = await session.get(Labourer, entry.labourer_id)
    # The figures count a labourer where they live now, which may not be where the entry was made.
    await touch(session, [entry.region_code, *([labourer.region_code] if labourer else [])])
    return entry


STEPS = {"submitted": "提交", "confirmed": "确认"}  # the month's two steps, as the problem words them


async def _village_month(
    session: AsyncSession, principal: Principal, region_code: str, month: date, today: date, step: str
) -> LedgerMonth:
    if not principal.can_access(region_code):
        raise NotFound(entity="village", key=region_code)
    if not await repository.is_village(session, region_code):
        raise NotAVillage(field="path.region_code", region_code=region_code)
    if month > today:
        # Submitted before it began, the month would be shut to the village for the weeks it is meant to fill it in.
        raise MonthNotBegun(field="path.month", month=month_label(month), today=today, step=step, step_zh=STEPS[step])
    return await repository.month_row(session, region_code, month, lock=True)


async def submit(
    session: AsyncSession,
    principal: Principal,
    region_code: str,
    month: date,
    *,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    today: date,
) -> LedgerMonth:
    month_row = await _village_month(session, principal, region_code, month, today, "submitted")
    if month_row.submitted_at is not None:
        raise AlreadyDone(region_code=region_code, month=month_label(month), state="提交")
    missing = await repository.missing_entries(session, region_code, month, rules)
    if missing:
        raise LedgerIncomplete(region_code=region_code, month=month_label(month), missing=missing)
    month_row.submitted_at = datetime.now(UTC)
    month_row.submitted_by = principal.subject
    month_row.submitted_late = past(month_deadlines(month, rules, calendar).village, today)
    await session.flush()
    return month_row


async def confirm(
    session: AsyncSession,
    principal: Principal,
    region_code: str,
    month: date,
    *,
    rules: RuleSettings,
    calendar: WorkdayCalendar,
    today: date,
) -> LedgerMonth:
    month_row = await _village_month(session, principal, region_code, month, today, "confirmed")
    if month_row.confirmed_at is not None:
        raise AlreadyDone(region_code=region_code, month=month_label(month), state="确认")
    if month_row.submitted_at is None:
        raise NotSubmitted(region_code=region_code, month=month_label(month))
    month_row.confirmed_at = datetime.now(UTC)
    month_row.confirmed_by = principal.subject
    month_row.confirmed_late = past(month_deadlines(month, rules, calendar).town, today)
    await session.flush()
    return month_row
