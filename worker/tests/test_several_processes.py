"""Two API replicas of monitoring-api, two dramatiq workers and two schedulers on one database and one Redis, all
real processes as deployed, driven with demo-like work: registry writes that emit events (relayed by both replicas),
a department batch (a cross-check job), the scheduled slots (the reminder run among them) and webhook delivery of
stored messages. A Redis MONITOR client sees every message that reaches the broker. No double work: each outbox row
enqueued once, each scheduled slot fired once, the cross-check run once, the reminder run once, each message
delivered to the gateway once.
"""

import asyncio
import re
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import redis
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from worker_support import add_service_key, seed_messages, start_gateway, worker_database_fixture

from conftest import DISTRICT, VILLAGE
from dixian_shared import idnumber
from dixian_shared.auth.api_keys import new_key
from dixian_shared.identity.models import ApiKey
from dixian_shared.queue import make_broker
from dixian_shared.settings import AuthSettings
from dixian_shared.testing.plugin import RedisProcess, free_port
from dixian_shared.testing.processes import Managed, api, dramatiq_worker, ready, scheduler, service_env, wait_for
from dixian_worker.models import ProvincialOutgoing, ScheduleSlot
from monitoring_api.models import COMMON
from monitoring_api.sector.models import CrosscheckJob

__all__ = ["worker_database_fixture"]

pytestmark = pytest.mark.slow  # six processes on a two-core machine: ~60-90 s

OUTBOX = COMMON.outbox
SHANGHAI = ZoneInfo("Asia/Shanghai")  # the scheduler names a slot's message in the schedule's zone
RETRY = re.compile(r'"retries\\*"\s*:\s*[1-9]')
ACTOR = re.compile(r'"actor_name\\*"\s*:\s*\\*"([^"\\]+)')
ENQUEUED = re.compile(r'"message_id\\*"\s*:\s*\\*"([^"\\]+)')  # not options' redis_message_id


class BrokerWatch:
    """Counts every message id enqueued on the broker (the dispatch script's `enqueue` calls, seen by MONITOR)."""

    def __init__(self, port: int) -> None:
        # The broker's Lua script loaded first: a client's first EVALSHA on a fresh Redis is refused NOSCRIPT and
        # sent again, which MONITOR would show as two enqueues of one message.
        broker = make_broker(f"redis://127.0.0.1:{port}/0")
        broker.client.script_load(broker.scripts["dispatch"].script)
        self.counts: Counter[str] = Counter()
        self._client = redis.Redis(port=port, socket_timeout=None)
        self._ready = threading.Event()
        self._closing = False
        self.error: Exception | None = None
        self.retried: Counter[str] = Counter()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def _watch(self) -> None:
        with self._client.monitor() as monitor:
            self._ready.set()
            while not self._closing:
                try:
                    line = monitor.next_command().get("command", "")
                except redis.TimeoutError:
                    continue  # a quiet moment; the stream goes on
                except Exception as exc:
                    if not self._closing:
                        self.error = exc
                    return
                if " enqueue " not in f" {line} ":
                    continue
                if RETRY.search(line):  # the Retries middleware sending a failed message again: not a new send
                    self.retried.update(ACTOR.findall(line)[:1])
                    continue
                self.counts.update(ENQUEUED.findall(line)[:1])

    def close(self) -> None:
        self._closing = True
        self._client.close()


@pytest.fixture
def processes() -> Iterator[list[Managed]]:
    started: list[Managed] = []
    yield started
    for process in started:
        process.kill()


async def _until(condition: Callable[[], Awaitable[bool]], seconds: float, what: Callable[[], str]) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(what())
        await asyncio.sleep(0.2)


async def _department_key(committed: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    key, prefix, secret_hash = new_key()
    async with committed() as session:
        session.add(
            ApiKey(
                prefix=prefix, secret_hash=secret_hash, name="区社管局", role="department", region_code=DISTRICT,
                scopes=["dibao_roll"], active=True,
            )
        )  # fmt: skip
        await session.commit()
    return {"X-API-Key": key}


async def test_two_of_everything_do_no_work_twice(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    migrated_database: str,
    private_redis: RedisProcess,
    auth_settings: AuthSettings,
    token_for: Any,
    processes: list[Managed],
    tmp_path: Path,
) -> None:
    assert auth_settings.public_key_file and auth_settings.private_key_file
    env = service_env(
        migrated_database, private_redis.url, auth_settings.public_key_file, auth_settings.private_key_file
    )
    ports = [free_port(), free_port()]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    gateway, stop_gateway = start_gateway("s3cret")
    await seed_messages(committed, "reminders@2026-11-30", 60)  # stored messages waiting for the gateway
    key = await add_service_key(committed, "deadlines", "registry.read")
    env |= {
        "WORKER_MONITORING__URL": urls[0],
        "WORKER_MONITORING__API_KEY": key,
        "EMPLOYMENT_MONITORING__URL": urls[0],  # the labour roster follows the registry through monitoring-api
        "EMPLOYMENT_MONITORING__API_KEY": key,
        "WORKER_WEBHOOK__URL": gateway.url,
        "WORKER_WEBHOOK__SECRET": "s3cret",
        "WORKER_WEBHOOK__BATCH_SIZE": "5",
        "WORKER_WEBHOOK__BACKOFF_SECONDS": "0",
        "WORKER_SCHEDULER__TICK_SECONDS": "0.5",
        # Today's 08:30 reminder slot (and every other actor's latest) is within the grace whenever the test runs.
        "WORKER_SCHEDULER__MISFIRE_GRACE_SECONDS": "86400",
        "WORKER_REMINDERS__RUN_ON_NON_WORKING_DAYS": "true",
    }
    watch = BrokerWatch(private_redis.port)
    try:
        for n, port in enumerate(ports, start=1):
            processes.append(api(f"monitoring-{n}", "monitoring-api", port, env, tmp_path).start())
        for url, replica in zip(urls, processes, strict=True):
            await asyncio.to_thread(wait_for, lambda u=url: ready(u), 120, lambda r=replica: r.tail())
        for n in (1, 2):
            processes.append(dramatiq_worker(f"dramatiq-{n}", env, tmp_path, threads=2).start())
            heartbeat = {"WORKER_SCHEDULER__HEARTBEAT_FILE": str(tmp_path / f"scheduler-{n}.alive")}
            processes.append(scheduler(f"scheduler-{n}", {**env, **heartbeat}, tmp_path).start())
        logs = lambda: "\n".join(f"== {p.name}\n{p.tail(15)}" for p in processes)  # noqa: E731

        district = token_for("district", DISTRICT)
        async with httpx.AsyncClient(timeout=30) as client:
            for n in range(20):  # writes through both replicas; each relays its own and the other's rows
                body = {
                    "region_code": VILLAGE,
                    "head_name": f"户主{n}",
                    "category": "一般农户",
                    "members": [
                        {
                            "id_number": idnumber.make(f"36070219700202{n:03d}"),
                            "name": f"户主{n}",
                            "relation": "户主",
                            "labour_skill": "普通劳动力",
                        }
                    ],
                }
                created = await client.post(f"{urls[n % 2]}/households", json=body, headers=district)
                assert created.status_code == 201, created.text
            department = await _department_key(committed)
            opened = await client.post(
                f"{urls[1]}/batches",
                json={"data_type": "dibao_roll", "period": "2024-06", "department_batch_id": "MP-1"},
                headers=department,
            )
            assert opened.status_code in (200, 201), opened.text
            batch_id = opened.json()["id"]
            part = "id_number,since,amount\r\n" + idnumber.make("36070219550101777") + ",2020-01-01,560\r\n"
            uploaded = await client.put(
                f"{urls[1]}/batches/{batch_id}/parts/1",
                content=part.encode(),
                headers={**department, "Content-Type": "text/csv; charset=utf-8"},
            )
            assert uploaded.status_code == 201, uploaded.text
            closed = await client.post(f"{urls[0]}/batches/{batch_id}/close", headers=department)
            assert closed.status_code in (200, 202), closed.text

        async def settled() -> bool:
            async with committed() as session:
                pending = await session.scalar(
                    select(func.count()).select_from(OUTBOX).where(OUTBOX.c.published_at.is_(None))
                )
                ledger = await session.scalar(select(func.count()).select_from(ProvincialOutgoing))
                job = await session.scalar(select(CrosscheckJob.state).where(CrosscheckJob.batch_id == batch_id))
                reminders = await session.scalar(
                    select(func.count()).select_from(ScheduleSlot).where(ScheduleSlot.actor_name == "worker.reminders")
                )
            return pending == 0 and ledger == 40 and job == "已完成" and reminders == 1 and len(gateway.accepted) >= 60

        await _until(settled, 180, logs)
        await asyncio.sleep(3)  # several more ticks of both schedulers: a slot must not fire again
        for process in processes:
            assert process.alive(), f"{process.name} died:\n{process.tail()}"
    finally:
        for process in processes:
            process.stop()
        stop_gateway()
        watch.close()

    assert watch.error is None, watch.error
    async with committed() as session:
        outbox_ids = {str(m) for m in (await session.scalars(select(OUTBOX.c.message_id))).all()}
        slots = (
            await session.execute(select(ScheduleSlot.actor_name, ScheduleSlot.slot_at, ScheduleSlot.fired_by))
        ).all()
        job = await session.scalar(select(CrosscheckJob).where(CrosscheckJob.batch_id == batch_id))
        fetches = await session.scalar(text("SELECT count(*) FROM worker.reminder_source_fetch"))
    # Each outbox row reached the broker once, whichever replica's relay claimed it.
    assert outbox_ids and all(watch.counts[m] == 1 for m in outbox_ids), (
        Counter(watch.counts[m] for m in outbox_ids),
        watch.retried,
    )
    # Each scheduled slot was claimed by one scheduler and sent once (message id "<actor>@<slot>").
    assert {actor for actor, _, _ in slots} >= {"worker.reminders", "worker.provincial_push"}
    for actor, slot_at, _ in slots:
        assert watch.counts[f"{actor}@{slot_at.astimezone(SHANGHAI).isoformat()}"] == 1, (actor, slot_at)
    assert len({fired_by for _, _, fired_by in slots}) >= 1
    # The cross-check job ran once; the reminder run asked monitoring-api for its deadlines once, through one replica.
    assert job is not None and (job.state, job.attempts) == ("已完成", 1)
    asked = sum(
        p.log.read_text(errors="replace").count("GET /deadlines") for p in processes if p.name.startswith("monitoring")
    )
    assert asked == 1 and fetches == 1
    # Every stored message reached the gateway once, though delivery runs came from the schedule and the reminder run.
    assert set(gateway.accepted.values()) == {1} and len(gateway.accepted) >= 60 and gateway.bad_signatures == 0
