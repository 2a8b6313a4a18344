"""The cross-check job: idempotent when run twice, after a crash, after a kill, for a resent batch; and in a worker."""

import asyncio
import uuid
from collections.abc import Callable
from datetime import date

import dramatiq
import httpx
import pytest
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO
from fastapi import FastAPI
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from conftest import DISTRICT, VILLAGE
from dixian_shared.contracts import CROSSCHECK_BATCH
from dixian_shared.jobs import LazySessionmaker
from dixian_shared.queue import send_by_name
from dixian_worker import actors as worker_actors
from monitoring_api.deps import get_today
from monitoring_api.households.models import Household, Member
from monitoring_api.models import COMMON
from monitoring_api.sector.crosscheck import findings, tasks
from monitoring_api.sector.models import (
    Batch,
    BatchPart,
    CrosscheckJob,
    Discrepancy,
    DiscrepancyAction,
    staged_row,
)
from monitoring_api.settings import MonitoringSettings

from .test_sector_helpers import (
    CSV,
    TODAY,
    add_household,
    csv_bytes,
    department_key,
    discrepancies,
    person,
    pid,
    push,
    run_job,
    set_member_status,
)

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]
assert worker_actors.sector_tasks is tasks  # the worker runs this very actor


@pytest.fixture(autouse=True)
def fixed_today(monitoring_app: FastAPI) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY


async def _roll(monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions) -> list[dict[str, str]]:
    """A registry where a 低保 roll shows one of each finding: missing, dead, unknown."""
    listed, missing, dead = pid("19500101"), pid("19520101"), pid("19300101")
    members = [person(listed, dibao=True), person(missing, dibao=True), person(dead, dibao=True)]
    await add_household(monitoring, token_for, members, category="一般农户")
    await set_member_status(session_on, dead, "死亡", date(2024, 2, 1))
    return [{"id_number": n, "since": "2020-01-01", "amount": "560"} for n in (listed, dead, pid("19550101"))]


def _snapshot(found: list[Discrepancy]) -> list[tuple[int, str, str, int, str]]:
    return [(d.id, d.rule, d.subject_key, d.version, d.status) for d in found]


async def _job(session_on: Sessions, batch_id: int) -> CrosscheckJob:
    async with session_on(COMMON) as session:
        job = await session.scalar(select(CrosscheckJob).where(CrosscheckJob.batch_id == batch_id))
        assert job is not None
        return job


async def test_the_actor_function_run_twice_or_forced_again_writes_nothing_twice(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = await _roll(monitoring, token_for, session_on)
    key = await department_key(session_on, "dibao_roll")
    batch_id, job_id = await push(monitoring, key, "dibao_roll", rows)
    monkeypatch.setattr(tasks, "sessions", lambda: session_on(COMMON))
    actor_function = tasks.crosscheck_batch.fn.__wrapped__  # type: ignore[attr-defined]

    await actor_function(batch_id=batch_id)
    first = _snapshot(await discrepancies(session_on))
    assert sorted(rule for _, rule, *_ in first) == ["missing_from_roll", "roll_person_dead", "roll_person_unknown"]
    job = (await monitoring.get(f"/crosscheck-jobs/{job_id}", headers=key)).json()
    assert job["state"] == "已完成"
    assert (job["rules_done"], job["rules_total"], job["rows_loaded"], job["rows_compared"]) == (3, 3, 3, 3)
    assert (job["discrepancies_found"], job["discrepancies_new"], job["attempts"]) == (3, 3, 1)

    await actor_function(batch_id=batch_id)  # a redelivered message: the job is done, nothing runs
    assert (await _job(session_on, batch_id)).attempts == 1
    # Forced to run again (as if the done mark were lost): the upsert meets its own rows and changes none.
    async with session_on(COMMON) as session:
        await session.execute(update(CrosscheckJob).where(CrosscheckJob.batch_id == batch_id).values(state="排队中"))
        await session.commit()
    await actor_function(batch_id=batch_id)
    assert _snapshot(await discrepancies(session_on)) == first
    job_row = await _job(session_on, batch_id)
    assert (job_row.state, job_row.attempts, job_row.discrepancies_new) == ("已完成", 2, 0)


def _fail_on_second_rule(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    real = findings.upsert
    calls = {"n": 0}

    async def flaky(*args: object, **kwargs: object) -> tuple[int, int]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise error
        return await real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(findings, "upsert", flaky)


async def test_a_crash_half_way_commits_nothing_and_the_retry_ends_the_same(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = await _roll(monitoring, token_for, session_on)
    key = await department_key(session_on, "dibao_roll")
    batch_id, _ = await push(monitoring, key, "dibao_roll", rows)
    _fail_on_second_rule(monkeypatch, RuntimeError("database went away"))
    with pytest.raises(RuntimeError):
        await run_job(session_on, batch_id)
    job = await _job(session_on, batch_id)
    assert (job.state, job.attempts) == ("失败", 1)
    assert "database went away" in (job.error or "")
    assert await discrepancies(session_on) == []  # the first rule's findings went with the crash
    audit = COMMON.audit_log
    async with session_on(COMMON) as session:
        logged = (
            await session.execute(
                select(audit.c.action, audit.c.changes).where(
                    audit.c.entity == "crosscheck_job", audit.c.entity_id == str(job.id), audit.c.action == "failed"
                )
            )
        ).all()
    assert [action for action, _ in logged] == ["failed"]
    assert "database went away" in logged[0].changes["error"]

    monkeypatch.undo()
    assert await run_job(session_on, batch_id) == "已完成"
    found = [(d.rule, d.subject_key) for d in await discrepancies(session_on)]
    assert len(found) == len(set(found)) == 3
    job = await _job(session_on, batch_id)
    assert (job.state, job.attempts, job.error, job.discrepancies_new) == ("已完成", 2, None, 3)


async def test_a_worker_killed_mid_job_leaves_it_running_and_the_redelivery_finishes(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = await _roll(monitoring, token_for, session_on)
    key = await department_key(session_on, "dibao_roll")
    batch_id, _ = await push(monitoring, key, "dibao_roll", rows)
    _fail_on_second_rule(monkeypatch, asyncio.CancelledError())  # what a dying worker's task sees: no handler runs
    with pytest.raises(asyncio.CancelledError):
        await run_job(session_on, batch_id)
    assert (await _job(session_on, batch_id)).state == "运行中"
    assert await discrepancies(session_on) == []

    monkeypatch.undo()
    assert await run_job(session_on, batch_id) == "已完成"
    found = sorted((d.rule, d.subject_key) for d in await discrepancies(session_on))
    assert [rule for rule, _ in found] == ["missing_from_roll", "roll_person_dead", "roll_person_unknown"]
    assert (found[1][1], found[2][1]) == (rows[1]["id_number"], rows[2]["id_number"])


async def test_a_duplicated_batch_doubles_nothing(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    rows = await _roll(monitoring, token_for, session_on)
    key = await department_key(session_on, "dibao_roll")
    batch_id, job_id = await push(monitoring, key, "dibao_roll", rows, batch_ref="DB-2024-06")
    again_batch, again_job = await push(monitoring, key, "dibao_roll", rows, batch_ref="DB-2024-06")
    assert (again_batch, again_job) == (batch_id, job_id)
    async with session_on(COMMON) as session:
        staged = await session.scalar(select(func.count()).select_from(staged_row))
        jobs = await session.scalar(select(func.count()).select_from(CrosscheckJob))
    assert (staged, jobs) == (3, 1)
    await run_job(session_on, batch_id)
    await run_job(session_on, batch_id)
    first = await discrepancies(session_on)
    assert len(first) == 3

    # Next month's roll, the same people: still three open findings, now last seen in the new batch.
    next_batch, _ = await push(monitoring, key, "dibao_roll", rows, batch_ref="DB-2024-07", period="2024-07")
    await run_job(session_on, next_batch)
    after = await discrepancies(session_on)
    assert [d.id for d in after] == [d.id for d in first]
    assert {(d.first_batch_id, d.last_batch_id, d.status) for d in after} == {(batch_id, next_batch, "待核实")}
    job = await _job(session_on, next_batch)
    assert (job.discrepancies_found, job.discrepancies_new, job.discrepancies_resolved) == (3, 0, 0)


async def test_the_rules_leave_no_temporary_table_on_the_connection(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    rows = await _roll(monitoring, token_for, session_on)
    key = await department_key(session_on, "dibao_roll")
    batch_id, _ = await push(monitoring, key, "dibao_roll", rows)
    assert await run_job(session_on, batch_id) == "已完成"
    # Each rule's findings pass through a temporary table, which would otherwise outlive the job on a pooled connection.
    temporary = text("SELECT relname FROM pg_class WHERE relpersistence = 't' AND pg_table_is_visible(oid)")
    async with session_on(COMMON) as session:
        assert (await session.scalars(temporary)).all() == []


async def test_a_batch_never_closed_is_never_compared(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    rows = await _roll(monitoring, token_for, session_on)
    key = await department_key(session_on, "dibao_roll")
    body = {"data_type": "dibao_roll", "period": "2024-06", "department_batch_id": "HALF"}
    batch_id = (await monitoring.post("/batches", json=body, headers=key)).json()["id"]
    part = await monitoring.put(f"/batches/{batch_id}/parts/1", content=csv_bytes(rows[:2]), headers={**key, **CSV})
    assert part.status_code == 201
    assert await run_job(session_on, batch_id) is None  # a stray message for it finds no job to run
    assert await discrepancies(session_on) == []
    async with session_on(COMMON) as session:
        assert await session.scalar(select(func.count()).select_from(CrosscheckJob)) == 0
    assert (await monitoring.get(f"/batches/{batch_id}", headers=key)).json()["job"] is None


async def test_the_actor_runs_in_a_real_dramatiq_worker_on_redis(
    engine: AsyncEngine, migrated_database: str, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Committed data (a worker cannot see a test's open transaction), cleaned up afterwards."""
    monkeypatch.setenv("MONITORING_POSTGRES__URL", migrated_database)
    monkeypatch.setattr(tasks, "sessions", LazySessionmaker(MonitoringSettings, COMMON))
    missing, stranger = pid("19520101"), pid("19550101")
    async with AsyncSession(engine) as session:
        household_id = await session.scalar(
            insert(Household)
            .values(
                region_code=VILLAGE, head_name="赵六", category="一般农户", status="正常", risk_causes=[], version=1
            )
            .returning(Household.id)
        )
        values = {"household_id": household_id, "region_code": VILLAGE, "name": "赵六", "sex": "男"}
        values |= {"birth_date": date(1952, 1, 1), "relation": "户主", "labour_skill": "无劳动力", "health": "健康"}
        values |= {"school_status": "非在校生", "dibao": True, "status": "正常", "version": 1, "id_number": missing}
        await session.execute(insert(Member).values(**values))
        batch_id = await session.scalar(
            insert(Batch)
            .values(
                department="区社管局",
                data_type="dibao_roll",
                period="2024-06",
                department_batch_id=f"worker-{uuid.uuid4().hex[:8]}",
                region_code=DISTRICT,
                state="已关闭",
                opened_by="test",
                closed_at=func.now(),
                as_of=TODAY,
                rows_received=1,
                rows_accepted=1,
                rows_rejected=0,
            )
            .returning(Batch.id)
        )
        await session.execute(
            insert(staged_row).values(batch_id=batch_id, part_number=1, line_number=2, id_number=stranger)
        )
        await session.execute(
            insert(CrosscheckJob).values(
                batch_id=batch_id,
                state="排队中",
                rows_loaded=1,
                rows_compared=0,
                rules_total=3,
                rules_done=0,
                discrepancies_found=0,
                discrepancies_new=0,
                discrepancies_resolved=0,
                attempts=0,
            )
        )
        await session.commit()

    broker = RedisBroker(url=redis_url, namespace=f"dixian-test-{uuid.uuid4().hex[:8]}")
    broker.add_middleware(AsyncIO())
    broker.declare_queue(CROSSCHECK_BATCH.queue)
    dramatiq.actor(
        tasks.crosscheck_batch.fn.__wrapped__,  # type: ignore[attr-defined]
        broker=broker,
        actor_name=CROSSCHECK_BATCH.name,
        queue_name=CROSSCHECK_BATCH.queue,
        max_retries=0,
    )
    worker = dramatiq.Worker(broker, worker_threads=1)
    worker.start()
    try:
        for _ in range(2):  # delivered twice, as at-least-once delivery may
            send_by_name(
                broker,
                actor_name=CROSSCHECK_BATCH.name,
                queue_name=CROSSCHECK_BATCH.queue,
                kwargs={"batch_id": batch_id},
                message_id=str(uuid.uuid4()),
            )
        await asyncio.to_thread(broker.join, CROSSCHECK_BATCH.queue, timeout=60_000)
        await asyncio.to_thread(worker.join)
        loop_thread = dramatiq.asyncio.get_event_loop_thread()
        assert loop_thread is not None
        loop_thread.run_coroutine(tasks.sessions.dispose())
    finally:
        worker.stop()
        broker.flush_all()
        broker.close()
    async with AsyncSession(engine) as session:
        try:
            job = await session.scalar(select(CrosscheckJob).where(CrosscheckJob.batch_id == batch_id))
            found = (
                await session.execute(
                    select(Discrepancy.rule, Discrepancy.subject_key).where(Discrepancy.last_batch_id == batch_id)
                )
            ).all()
            assert job is not None and (job.state, job.attempts) == ("已完成", 1)
            assert sorted(found) == [("missing_from_roll", missing), ("roll_person_unknown", stranger)]
        finally:
            ids = select(Discrepancy.id).where(Discrepancy.last_batch_id == batch_id).scalar_subquery()
            await session.execute(delete(DiscrepancyAction).where(DiscrepancyAction.discrepancy_id.in_(ids)))
            await session.execute(delete(Discrepancy).where(Discrepancy.last_batch_id == batch_id))
            await session.execute(delete(CrosscheckJob).where(CrosscheckJob.batch_id == batch_id))
            await session.execute(delete(staged_row).where(staged_row.c.batch_id == batch_id))
            await session.execute(delete(BatchPart).where(BatchPart.batch_id == batch_id))
            await session.execute(delete(Batch).where(Batch.id == batch_id))
            await session.execute(delete(Member).where(Member.household_id == household_id))
            await session.execute(delete(Household).where(Household.id == household_id))
            audit = COMMON.audit_log
            await session.execute(
                delete(audit).where(audit.c.entity.in_(["crosscheck_job"]), audit.c.actor == "worker")
            )
            await session.commit()
