"""Business rules of discrepancies (比对疑点): who sees them, and the village's workflow 待核实 → 已核实/已处理/误报."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.concurrency import check_version
from dixian_shared.errors import NotFound
from dixian_shared.pagination import PageParams
from monitoring_api.sector import repository
from monitoring_api.sector.crosscheck import warnings_link
from monitoring_api.sector.enums import TRANSITIONS, CheckRule, DiscrepancyStatus
from monitoring_api.sector.errors import NoteRequired, StatusFlow
from monitoring_api.sector.intake.batches import check_department_caller
from monitoring_api.sector.models import Discrepancy, DiscrepancyAction
from monitoring_api.sector.repository import DiscrepancyFilter
from monitoring_api.sector.schemas import DiscrepancyUpdate

# A verdict that the data is wrong, or that the case is settled, must say why: the next batch may show it again.
NEEDS_NOTE = frozenset({DiscrepancyStatus.false_alarm, DiscrepancyStatus.handled})


async def list_discrepancies(
    session: AsyncSession, principal: Principal, params: PageParams, where: DiscrepancyFilter
) -> Sequence[Discrepancy]:
    check_department_caller(principal)
    return await repository.list_discrepancies(session, principal, params, where)


async def count_discrepancies(
    session: AsyncSession, principal: Principal, by_town: bool, where: DiscrepancyFilter
) -> Sequence[Row[*tuple[Any, ...]]]:
    check_department_caller(principal)
    return await repository.count_discrepancies(session, principal, by_town, where)


async def require_discrepancy(session: AsyncSession, principal: Principal, discrepancy_id: int) -> Discrepancy:
    check_department_caller(principal)
    found = await repository.get_discrepancy(session, principal, discrepancy_id)
    if found is None:
        raise NotFound(entity="discrepancy", key=discrepancy_id)
    return found


async def actions(session: AsyncSession, discrepancy_id: int) -> Sequence[DiscrepancyAction]:
    return await repository.actions(session, discrepancy_id)


async def change_status(
    session: AsyncSession, principal: Principal, discrepancy_id: int, if_match: str | None, data: DiscrepancyUpdate
) -> Discrepancy:
    found = await require_discrepancy(session, principal, discrepancy_id)
    check_version(if_match, found.version)
    current = DiscrepancyStatus(found.status)
    if data.status not in TRANSITIONS[current]:
        raise StatusFlow(current=current, wanted=data.status, rule="discrepancy_status_flow")
    if data.status in NEEDS_NOTE and not (data.note and data.note.strip()):
        raise NoteRequired(wanted=data.status, rule="discrepancy_note_required")
    now = datetime.now(UTC)
    found.status = data.status
    found.note = data.note
    found.acted_by = principal.subject
    found.acted_by_name = principal.name or None
    found.acted_at = now
    session.add(
        DiscrepancyAction(
            discrepancy_id=found.id,
            from_status=current,
            to_status=data.status,
            note=data.note,
            actor=principal.subject,
            actor_name=principal.name or None,
            at=now,
        )
    )
    await session.flush()
    if found.household_id is not None:
        # A finding the village handled or dismissed no longer holds the household's warning (e.g. 保障线).
        await warnings_link.sync_finding_warnings(session, [CheckRule(found.rule)], household_ids=[found.household_id])
    return found
