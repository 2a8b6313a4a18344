"""Every query of batches, parts, jobs and refused rows; what a caller may see is decided inside the query."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, under_region
from dixian_shared.pagination import PageParams, apply_keyset
from monitoring_api.sector.enums import BatchState, DiscrepancyStatus
from monitoring_api.sector.models import Batch, BatchPart, CrosscheckJob, Discrepancy, DiscrepancyAction, row_error


def visible_batches(principal: Principal) -> ColumnElement[bool]:
    """A department key sees the batches of its data types; anyone else (the district) those of its region."""
    clause = in_scope(Batch.region_code, principal)
    if principal.kind == "api_key":
        clause = clause & Batch.data_type.in_(sorted(principal.scopes))
    return clause


async def get_batch(
    session: AsyncSession, principal: Principal, batch_id: int, *, lock: str | None = None
) -> Batch | None:
    stmt = select(Batch).where(Batch.id == batch_id, visible_batches(principal))
    if lock == "update":
        stmt = stmt.with_for_update()
    elif lock == "share":
        # Parts of one batch upload side by side; closing (FOR UPDATE) waits until they are all in.
        stmt = stmt.with_for_update(read=True)
    return await session.scalar(stmt)


async def find_batch(session: AsyncSession, department: str, department_batch_id: str) -> Batch | None:
    """By the department's own id, unscoped: the same id is the same batch, whichever key sends it."""
    stmt = select(Batch).where(Batch.department == department, Batch.department_batch_id == department_batch_id)
    return await session.scalar(stmt)


async def list_batches(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    data_type: str | None = None,
    state: BatchState | None = None,
) -> Sequence[Batch]:
    stmt = select(Batch).where(visible_batches(principal))
    if data_type is not None:
        stmt = stmt.where(Batch.data_type == data_type)
    if state is not None:
        stmt = stmt.where(Batch.state == state)
    return (await session.scalars(apply_keyset(stmt, [Batch.id], params))).all()


async def parts(session: AsyncSession, batch_id: int) -> Sequence[BatchPart]:
    stmt = select(BatchPart).where(BatchPart.batch_id == batch_id).order_by(BatchPart.part_number)
    return (await session.scalars(stmt)).all()


async def part_totals(session: AsyncSession, batch_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
    """(received, accepted, rejected) per batch, summed over its parts in one query."""
    stmt = (
        select(
            BatchPart.batch_id,
            func.sum(BatchPart.rows_received),
            func.sum(BatchPart.rows_accepted),
            func.sum(BatchPart.rows_rejected),
        )
        .where(BatchPart.batch_id.in_(batch_ids))
        .group_by(BatchPart.batch_id)
    )
    return {row[0]: (int(row[1]), int(row[2]), int(row[3])) for row in await session.execute(stmt)}


async def claim_part(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert the part's row; False if that part number is already there (a concurrent twin waits for us)."""
    stmt = insert(BatchPart).values(**values).on_conflict_do_nothing().returning(BatchPart.part_number)
    return await session.scalar(stmt) is not None


async def get_part(session: AsyncSession, batch_id: int, part_number: int) -> BatchPart | None:
    return await session.get(BatchPart, (batch_id, part_number))


async def finish_part(session: AsyncSession, batch_id: int, part_number: int, values: dict[str, Any]) -> None:
    stmt = (
        update(BatchPart)
        .where(BatchPart.batch_id == batch_id, BatchPart.part_number == part_number)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    await session.execute(stmt)


async def job_for_batch(session: AsyncSession, batch_id: int) -> CrosscheckJob | None:
    return await session.scalar(select(CrosscheckJob).where(CrosscheckJob.batch_id == batch_id))


async def get_job(session: AsyncSession, principal: Principal, job_id: int) -> CrosscheckJob | None:
    stmt = (
        select(CrosscheckJob)
        .join(Batch, Batch.id == CrosscheckJob.batch_id)
        .where(CrosscheckJob.id == job_id, visible_batches(principal))
    )
    return await session.scalar(stmt)


async def list_row_errors(session: AsyncSession, batch_id: int, params: PageParams) -> Sequence[Row[*tuple[Any, ...]]]:
    c = row_error.c
    stmt = select(c.part_number, c.line_number, c.errors, c.data).where(c.batch_id == batch_id)
    return (await session.execute(apply_keyset(stmt, [c.part_number, c.line_number], params))).all()


def visible_discrepancies(principal: Principal) -> ColumnElement[bool]:
    """Staff see their region's; a department key sees those raised from its own data types."""
    clause = in_scope(Discrepancy.region_code, principal)
    if principal.kind == "api_key":
        clause = clause & Discrepancy.data_type.in_(sorted(principal.scopes))
    return clause


@dataclass(frozen=True)
class DiscrepancyFilter:
    region_code: str | None = None
    department: str | None = None
    data_type: str | None = None
    rule: str | None = None
    status: str | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        found = []
        if self.region_code is not None:
            found.append(under_region(Discrepancy.region_code, regioncode.prefix(self.region_code)))
        for column, value in (
            (Discrepancy.department, self.department),
            (Discrepancy.data_type, self.data_type),
            (Discrepancy.rule, self.rule),
            (Discrepancy.status, self.status),
        ):
            if value is not None:
                found.append(column == value)
        return found


async def list_discrepancies(
    session: AsyncSession, principal: Principal, params: PageParams, where: DiscrepancyFilter
) -> Sequence[Discrepancy]:
    stmt = select(Discrepancy).where(visible_discrepancies(principal), *where.clauses())
    return (await session.scalars(apply_keyset(stmt, [Discrepancy.id], params))).all()


async def get_discrepancy(session: AsyncSession, principal: Principal, discrepancy_id: int) -> Discrepancy | None:
    stmt = select(Discrepancy).where(Discrepancy.id == discrepancy_id, visible_discrepancies(principal))
    return await session.scalar(stmt)


async def actions(session: AsyncSession, discrepancy_id: int) -> Sequence[DiscrepancyAction]:
    stmt = (
        select(DiscrepancyAction)
        .where(DiscrepancyAction.discrepancy_id == discrepancy_id)
        .order_by(DiscrepancyAction.id)
    )
    return (await session.scalars(stmt)).all()


async def count_discrepancies(
    session: AsyncSession, principal: Principal, by_town: bool, where: DiscrepancyFilter
) -> Sequence[Row[*tuple[Any, ...]]]:
    """One grouped query: per region (village, or town) and rule, the total and the count in each status."""
    region = (func.rpad(func.left(Discrepancy.region_code, 9), 12, "0") if by_town else Discrepancy.region_code).label(
        "region_code"
    )
    per_status = [func.count().filter(Discrepancy.status == status).label(status.name) for status in DiscrepancyStatus]
    stmt = (
        select(region, Discrepancy.rule, func.count().label("total"), *per_status)
        .where(visible_discrepancies(principal), *where.clauses())
        .group_by(region, Discrepancy.rule)
        .order_by(region, Discrepancy.rule)
    )
    return (await session.execute(stmt)).all()
