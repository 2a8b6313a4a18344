"""kill -9 of a real `dramatiq` worker process in the middle of a cross-check job and of a provincial push run.

The worker is the deployed command (`dramatiq dixian_worker.actors`) on a private Redis; it is killed with SIGKILL
(its whole process group: no handler runs) while its job is provably half-way, then started again. The broker puts
the message the dead worker held back on its queue (WORKER_HEARTBEAT_TIMEOUT_MS, shortened here), the new worker runs
it, and the tests count what was written: nothing lost, nothing twice, the interrupted attempt visible.
"""

import asyncio
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from worker_support import (
    Monitoring,
    add_service_key,
    live_monitoring_fixture,
    new_household,
    province_fixture,
    relay_to_ledger,
    worker_database_fixture,
)

from conftest import DISTRICT, VILLAGE
from deploy.province_sim import Faults, Province
from dixian_shared import idnumber
from dixian_shared.contracts import CROSSCHECK_BATCH
from dixian_shared.queue import make_broker, send_by_name
from dixian_shared.settings import AuthSettings
from dixian_shared.testing.plugin import RedisProcess, free_port
from dixian_shared.testing.processes import Managed, api, dramatiq_worker, ready, service_env, wait_for
from dixian_worker.models import ProvincialOutgoing
from dixian_worker.sync.models import SyncRun
from dixian_worker.sync.runs import INTERRUPTED
from monitoring_api.households.models import Household, Member
from monitoring_api.sector.models import Batch, CrosscheckJob, Discrepancy, staged_row

__all__ = ["live_monitoring_fixture", "province_fixture", "worker_database_fixture"]

pytestmark = pytest.mark.slow  # real processes started and killed: ~20-40 s each on a loaded two-core machine


@pytest.fixture
def env(migrated_database: str, private_redis: RedisProcess, auth_settings: AuthSettings) -> dict[str, str]:
    assert auth_settings.public_key_file and auth_settings.private_key_file
    return service_env(
        migrated_database, private_redis.url, auth_settings.public_key_file, auth_settings.private_key_file
    )


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[Managed]]:
    """Every process a test starts; stopped (by its own group id) whatever the test's outcome."""
    processes: list[Managed] = []
    yield processes
    for process in processes:
        process.kill()


async def _poll(condition: Any, seconds: float, what: str | Callable[[], str]) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(what() if callable(what) else what)
        await asyncio.sleep(0.1)


SECTOR_TABLES = (
    "monitoring.sector_discrepancy_action, monitoring.sector_discrepancy, monitoring.crosscheck_job, "
    "monitoring.sector_row, monitoring.sector_row_error, monitoring.sector_batch_part, monitoring.sector_batch, "
    "monitoring.member, monitoring.household"
)


async def _closed_roll(engine: AsyncEngine) -> tuple[int, str, str]:
    """A closed 低保 roll of one person the registry does not know, beside a registry 低保 member it leaves out."""
    missing, stranger = idnumber.make("36070219520101801"), idnumber.make("36070219550101802")
    async with AsyncSession(engine) as session:
        household_id = await session.scalar(
            insert(Household)
            .values(
                region_code=VILLAGE, head_name="赵六", category="一般农户", status="正常", risk_causes=[], version=1
            )
            .returning(Household.id)
        )
        await session.execute(
            insert(Member).values(
                household_id=household_id, region_code=VILLAGE, name="赵六", sex="男", birth_date=date(1952, 1, 1),
                relation="户主", labour_skill="无劳动力", health="健康", school_status="非在校生", dibao=True,
                status="正常", version=1, id_number=missing,
            )
        )  # fmt: skip
        batch_id = int(
            await session.scalar(
                insert(Batch)
                .values(
                    department="区社管局",
                    data_type="dibao_roll",
                    period="2024-06",
                    region_code=DISTRICT,
                    department_batch_id=f"kill-{uuid.uuid4().hex[:8]}",
                    state="已关闭",
                    opened_by="test",
                    closed_at=func.now(),
                    as_of=date(2024, 6, 20),
                    rows_received=1,
                    rows_accepted=1,
                    rows_rejected=0,
                )
                .returning(Batch.id)
            )
        )
        await session.execute(
            insert(staged_row).values(batch_id=batch_id, part_number=1, line_number=2, id_number=stranger)
        )
        await session.execute(
            insert(CrosscheckJob).values(
                batch_id=batch_id, state="排队中", rows_loaded=1, rows_compared=0, rules_total=3, rules_done=0,
                discrepancies_found=0, discrepancies_new=0, discrepancies_resolved=0, attempts=0,
            )
        )  # fmt: skip
        await session.commit()
    return batch_id, missing, stranger


async def test_a_cross_check_killed_half_way_commits_nothing_and_finishes_once_after_restart(
    engine: AsyncEngine, env: dict[str, str], private_redis: RedisProcess, started: list[Managed], tmp_path: Path
) -> None:
    batch_id, missing, stranger = await _closed_roll(engine)

    async def job() -> tuple[str, int, int]:
        async with AsyncSession(engine) as session:
            row = (
                await session.execute(
                    select(CrosscheckJob.state, CrosscheckJob.attempts, CrosscheckJob.rules_done).where(
                        CrosscheckJob.batch_id == batch_id
                    )
                )
            ).one()
            return row.state, row.attempts, row.rules_done

    async def committed_findings() -> list[tuple[str, str]]:
        async with AsyncSession(engine) as session:
            rows = await session.execute(select(Discrepancy.rule, Discrepancy.subject_key).order_by(Discrepancy.rule))
            return [(r.rule, r.subject_key) for r in rows.all()]

    try:
        async with engine.connect() as gate, engine.connect() as row_lock:
            # Hold the job's own advisory lock so it is caught between its start (committed 运行中) and its rules.
            await gate.execute(
                text("SELECT pg_advisory_lock(hashtextextended(:k, 0))"), {"k": f"crosscheck:{batch_id}"}
            )
            worker = dramatiq_worker("dramatiq-1", env, tmp_path, CROSSCHECK_BATCH.queue).start()
            started.append(worker)
            broker = make_broker(private_redis.url)
            send_by_name(
                broker,
                actor_name=CROSSCHECK_BATCH.name,
                queue_name=CROSSCHECK_BATCH.queue,
                kwargs={"batch_id": batch_id},
                message_id=str(uuid.uuid4()),
            )
            await _poll(lambda: _is(job, "运行中"), 60, lambda: f"the job never started:\n{worker.tail()}")
            # Then lock the job's row and let it go: it runs its first rule (findings written, not committed) and
            # stops at its progress update, in the middle of the comparison.
            await row_lock.execute(select(CrosscheckJob.id).where(CrosscheckJob.batch_id == batch_id).with_for_update())
            await gate.execute(text("SELECT pg_advisory_unlock_all()"))
            await gate.commit()

            async def stuck_after_first_rule() -> bool:
                waiting = await gate.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND query ILIKE 'UPDATE monitoring.crosscheck_job%'"
                    )
                )
                await gate.commit()
                return bool(waiting)

            await _poll(stuck_after_first_rule, 30, "the job never reached its first progress update")
            worker.kill()
            await row_lock.rollback()

        async def orphans_gone() -> bool:
            async with AsyncSession(engine) as session:
                left = await session.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND application_name = 'monitoring-jobs'"
                    )
                )
            return left == 0

        await _poll(orphans_gone, 30, "the killed worker's connections stayed")
        # Visible as interrupted: still 运行中 after one attempt, and nothing of the half-done comparison committed.
        assert (await job())[:2] == ("运行中", 1)
        assert await committed_findings() == []

        again = dramatiq_worker("dramatiq-2", env, tmp_path, CROSSCHECK_BATCH.queue).start()
        started.append(again)
        await _poll(lambda: _is(job, "已完成"), 90, lambda: f"the redelivered job did not finish:\n{again.tail()}")
        assert (await job()) == ("已完成", 2, 3)
        assert await committed_findings() == [("missing_from_roll", missing), ("roll_person_unknown", stranger)]
        async with AsyncSession(engine) as session:
            audited = await session.scalar(
                text("SELECT count(*) FROM monitoring.audit_log WHERE entity = 'crosscheck_job' AND action = 'done'")
            )
        assert audited == 1
    finally:
        for process in started:
            process.kill()
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {SECTOR_TABLES} CASCADE"))
            await conn.execute(text("DELETE FROM monitoring.audit_log WHERE entity = 'crosscheck_job'"))


async def _is(job: Any, state: str) -> bool:
    return bool((await job())[0] == state)


async def _ledger(committed: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with committed() as session:
        rows = await session.execute(
            select(ProvincialOutgoing.status, func.count()).group_by(ProvincialOutgoing.status)
        )
        return {status: count for status, count in rows.all()}


async def test_a_provincial_push_killed_mid_run_is_marked_failed_and_the_rerun_sends_each_record_once(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_monitoring: Monitoring,
    token_for: Any,
    province: tuple[Province, str],
    env: dict[str, str],
    private_redis: RedisProcess,
    started: list[Managed],
    tmp_path: Path,
) -> None:
    sim, url = province
    async with live_monitoring.client() as client:
        for n in range(15):
            await new_household(client, token_for("district", DISTRICT), VILLAGE, 300 + n)
    changes = await relay_to_ledger(committed)
    assert changes == 30  # each household and its member
    key = await add_service_key(committed, "registry.read", "province.sync")
    port = free_port()
    monitoring = api("monitoring-api", "monitoring-api", port, env, tmp_path).start()
    started.append(monitoring)
    await asyncio.to_thread(wait_for, lambda: ready(f"http://127.0.0.1:{port}"), 90, "monitoring-api ready")
    sim.faults = Faults(slow_seconds=0.3)  # each batch takes a while: the kill lands between batches or inside one
    worker_env = {
        **env,
        "WORKER_MONITORING__URL": f"http://127.0.0.1:{port}",
        "WORKER_MONITORING__API_KEY": key,
        "WORKER_PROVINCE__URL": url,
        "WORKER_PROVINCE__API_KEY": "prov-key",
        "WORKER_PROVINCE__BATCH_SIZE": "3",
        "WORKER_PROVINCE__BACKOFF_SECONDS": "0",
    }
    worker = dramatiq_worker("dramatiq-1", worker_env, tmp_path, "sync").start()
    started.append(worker)
    send_by_name(
        make_broker(private_redis.url),
        actor_name="worker.provincial_push",
        queue_name="sync",
        kwargs={"slot": "2024-09-05T08:00:00+08:00"},
        message_id=str(uuid.uuid4()),
    )
    await asyncio.to_thread(
        wait_for, lambda: len(sim.records) >= 9, 90, lambda: f"pushing:\n{worker.tail()}\n{monitoring.tail()}"
    )
    worker.kill()
    assert 9 <= len(sim.records) < changes
    ledger = await _ledger(committed)
    assert ledger.get("待推送", 0) > 0 and sum(ledger.values()) == changes
    async with committed() as session:
        assert (await session.scalars(select(SyncRun.status))).all() == ["进行中"]

    again = dramatiq_worker("dramatiq-2", worker_env, tmp_path, "sync").start()
    started.append(again)

    async def all_acked() -> bool:
        return await _ledger(committed) == {"已确认": changes}

    await _poll(all_acked, 120, lambda: f"the redelivered push did not finish:\n{again.tail()}")
    # The province holds every change once, whatever the dead worker had sent without recording it.
    assert len(sim.records) == changes and set(sim.applied.values()) == {1}

    async def run_finished() -> bool:
        async with committed() as session:
            return "进行中" not in (await session.scalars(select(SyncRun.status))).all()

    await _poll(run_finished, 30, "the second run did not end")
    async with committed() as session:
        runs = (await session.execute(select(SyncRun.status, SyncRun.error).order_by(SyncRun.id))).all()
    # The killed run is marked failed (by the next run, which found its lock free), the rerun succeeded.
    assert [tuple(run) for run in runs] == [("失败", INTERRUPTED), ("成功", None)]
