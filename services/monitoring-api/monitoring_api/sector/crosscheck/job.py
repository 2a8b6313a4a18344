"""The cross-check job: one closed batch compared with the registry in one transaction, one statement per rule.

Idempotent three ways: a finished job is not run again; a job killed half-way committed nothing (its comparison,
upserts, closings and warnings share one transaction); and the upsert keys on (data type, rule, subject), so even
two deliveries racing each other cannot raise a discrepancy twice (they also serialise on an advisory lock).
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit, regioncode
from monitoring_api.rules import RuleSettings
from monitoring_api.sector.crosscheck import findings, warnings_link
from monitoring_api.sector.crosscheck.rules import RULES, CheckContext
from monitoring_api.sector.enums import BatchState, DataType, JobState
from monitoring_api.sector.models import Batch, CrosscheckJob, staged_row

log = logging.getLogger(__name__)

Sessions = Callable[[], AsyncSession]
ANALYZE_FROM_ROWS = 50_000  # a large batch changes the staging table's statistics enough to re-plan the anti-joins
STATEMENT_TIMEOUT = "30min"  # the API's 30 s limit is for requests; a province-sized anti-join needs longer
# A million-row batch hashes into ~60 MB; at the 4 MB default the anti-join spills to temporary files.
WORK_MEM = "256MB"


async def run(sessions: Sessions, batch_id: int, settings: RuleSettings) -> JobState | None:
    """Compare the batch; the job's final state, or None when there is nothing (more) to do."""
    async with sessions() as session:
        rows = await _start(session, batch_id)
        if rows is None:
            return None
        await session.commit()
        if rows >= ANALYZE_FROM_ROWS:
            # In a transaction of its own: ANALYZE holds a lock that would keep other jobs waiting until our commit.
            await session.execute(text(f"ANALYZE {staged_row.schema}.{staged_row.name}"))
            await session.commit()
    try:
        async with sessions() as session:
            state = await _compare(session, sessions, batch_id, settings)
            await session.commit()
            return state
    except Exception as exc:
        async with sessions() as session:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            failed = await session.scalar(
                update(CrosscheckJob)
                .where(CrosscheckJob.batch_id == batch_id, CrosscheckJob.state != JobState.done)
                .values(state=JobState.failed, error=error)
                .returning(CrosscheckJob.id)
            )
            if failed is not None:
                await audit.record(session, "crosscheck_job", str(failed), "failed", {"error": error})
            await session.commit()
        raise


async def _start(session: AsyncSession, batch_id: int) -> int | None:
    """Mark the job running; the batch's accepted rows, or None when there is nothing (more) to do."""
    row = (
        await session.execute(
            select(CrosscheckJob, Batch.state, Batch.rows_accepted)
            .join(Batch, Batch.id == CrosscheckJob.batch_id)
            .where(CrosscheckJob.batch_id == batch_id)
        )
    ).first()
    if row is None:
        # Only closing a batch creates its job: a batch never closed is never compared.
        log.warning("no cross-check job for batch %s (never closed?)", batch_id)
        return None
    job, batch_state, rows_accepted = row
    if batch_state != BatchState.closed or job.state == JobState.done:
        return None
    job.state = JobState.running
    job.attempts += 1
    job.started_at = datetime.now(UTC)
    job.error = None
    job.rules_done = 0
    await session.flush()
    return int(rows_accepted)


async def _progress(sessions: Sessions, batch_id: int, rules_done: int, found: int) -> None:
    """Progress in its own short transaction, so the job resource moves while the comparison is still open."""
    try:
        async with sessions() as session:
            await session.execute(
                update(CrosscheckJob)
                .where(CrosscheckJob.batch_id == batch_id, CrosscheckJob.state == JobState.running)
                .values(rules_done=rules_done, discrepancies_found=found)
            )
            await session.commit()
    except Exception:  # progress is a courtesy; the comparison must not fail for it
        log.warning("could not record progress of batch %s", batch_id, exc_info=True)


async def _compare(session: AsyncSession, sessions: Sessions, batch_id: int, settings: RuleSettings) -> JobState:
    await session.execute(text(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'"))
    await session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"crosscheck:{batch_id}", 0))))
    job = await session.scalar(
        select(CrosscheckJob).where(CrosscheckJob.batch_id == batch_id).execution_options(populate_existing=True)
    )
    batch = await session.get(Batch, batch_id)
    assert job is not None and batch is not None and batch.as_of is not None and batch.closed_at is not None
    if job.state == JobState.done:  # a twin delivery finished while we waited for the lock
        return JobState.done
    data_type = DataType(batch.data_type)
    ctx = CheckContext(
        batch_id=batch_id,
        data_type=data_type,
        as_of=batch.as_of,
        year=int(batch.period[:4]),
        region_prefix=regioncode.prefix(batch.region_code),
        batch_region=batch.region_code,
        settings=settings,
    )
    found = new = 0
    rules = RULES[data_type]
    for done, (rule, query) in enumerate(rules, start=1):
        rule_found, rule_new = await findings.upsert(session, ctx, rule, query)
        found, new = found + rule_found, new + rule_new
        await _progress(sessions, batch_id, done, found)
    resolved = await findings.close_resolved(session, ctx, batch, [rule for rule, _ in rules], batch.closed_at)
    warned, unwarned = await warnings_link.sync_finding_warnings(session, [rule for rule, _ in rules])
    counts = {
        "rows_compared": batch.rows_accepted,
        "rules_done": len(rules),
        "discrepancies_found": found,
        "discrepancies_new": new,
        "discrepancies_resolved": resolved,
    }
    await session.execute(
        update(CrosscheckJob)
        .where(CrosscheckJob.id == job.id)
        .values(state=JobState.done, finished_at=func.clock_timestamp(), **counts)
    )
    summary = {**counts, "warnings_raised": warned, "warnings_resolved": unwarned}
    await audit.record(session, "crosscheck_job", str(job.id), "done", summary)
    return JobState.done
