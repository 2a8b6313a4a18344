"""python -m bench.worker.reminders: the reminder computation for a province-sized tree (1,500 towns, 17,000
villages, 5,000,000 households), and webhook delivery of the run's messages to a local receiver.

Never part of the test suite. See bench/worker/README.md.
"""

import argparse
import asyncio
import importlib.resources
import json
import os
import tempfile
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.worker.tree import ON, generate
from dixian_shared.admin import IDENTITY_MIGRATIONS, create_api_key
from dixian_shared.auth.principal import Principal, Role
from dixian_shared.auth.tokens import generate_key_pair
from dixian_shared.migrations import upgrade
from dixian_shared.service_client import ServiceLink
from dixian_shared.settings import AuthSettings, OutboxSettings, PostgresSettings
from dixian_shared.workdays import WorkdayCalendar
from dixian_worker.db import worker_sessions
from dixian_worker.notifications.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from dixian_worker.notifications.webhook import deliver_all
from dixian_worker.reminders.tasks import run_reminders
from dixian_worker.settings import ReminderSettings, WebhookSettings, WorkerSettings
from monitoring_api.app import create_app as create_monitoring_app
from monitoring_api.deadlines import service as deadlines
from monitoring_api.rules import RuleSettings
from monitoring_api.settings import MonitoringSettings


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.worker.reminders", description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="dixian_bench_worker")
    parser.add_argument("--households", type=int, default=5_000_000)
    parser.add_argument("--villages", type=int, default=17_000)
    parser.add_argument("--towns", type=int, default=1_500)
    parser.add_argument("--reuse", action="store_true", help="keep the generated database of an earlier run")
    parser.add_argument("--batch-size", type=int, default=200, help="messages per webhook POST")
    parser.add_argument("--webhook-messages", type=int, default=50_000, help="messages for the throughput run")
    return parser.parse_args()


def prepare(admin_url: str, name: str, args: argparse.Namespace) -> str:
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin_url.replace("+asyncpg", ""), autocommit=True) as conn:
        reuse = args.reuse and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not reuse:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    # A reused tree gets the migrations written since it was generated (their backfills run over it).
    upgrade(IDENTITY_MIGRATIONS, url, "identity")
    for package, schema in (("monitoring_api", "monitoring"), ("dixian_worker", "worker")):
        upgrade(Path(str(importlib.resources.files(package) / "migrations")), url, schema)
    if reuse:
        return url
    started = time.perf_counter()
    generate(url, towns=args.towns, villages=args.villages, households=args.households)
    print(f"generated the tree in {time.perf_counter() - started:.0f} s", flush=True)
    return url


SEED_MESSAGES = """
WITH stored AS (
    INSERT INTO worker.notification (slot, recipient, user_id, region_code, role, title, body, summary)
    SELECT 'bench-throughput', 'user:' || n, n, '360000000000', 'village', '待办提醒', '第' || n || '条', '{}'::jsonb
    FROM generate_series(1, %(count)s) AS n
    RETURNING id
)
INSERT INTO worker.webhook_delivery (notification_id) SELECT id FROM stored
"""


class Receiver:
    """A local gateway: checks each signature, counts each message id."""

    def __init__(self, secret: str) -> None:
        self.ids: dict[str, int] = {}
        self.requests = 0
        self.bad = 0
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = verify(secret, self.headers[TIMESTAMP_HEADER], self.headers[SIGNATURE_HEADER], body)
                with lock:
                    receiver.requests += 1
                    if not ok:
                        receiver.bad += 1
                    for message in json.loads(body)["messages"]:
                        receiver.ids[message["id"]] = receiver.ids.get(message["id"], 0) + 1
                self.send_response(200 if ok else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


async def measure(args: argparse.Namespace, url: str) -> None:
    os.environ["WORKER_POSTGRES__URL"] = url
    worker_sessions.reset()
    keys = Path(tempfile.mkdtemp())
    generate_key_pair(keys / "private.pem", keys / "public.pem")
    settings = MonitoringSettings(
        postgres=PostgresSettings(url=url, statement_timeout_ms=120_000),
        auth=AuthSettings(public_key_file=keys / "public.pem"),
        outbox=OutboxSettings(relay_enabled=False),
    )
    app = create_monitoring_app(settings)
    on = date.fromisoformat(ON)
    results: dict[str, Any] = {"households": args.households, "villages": args.villages, "towns": args.towns}

    # 1. The deadline report itself: every rule, set-based, grouped per place (what GET /deadlines computes).
    calendar = WorkdayCalendar()
    horizon = (calendar.add_workdays(on, 3) - on).days + 10
    principal = Principal(subject="bench", role=Role.district, region_code="360000000000")
    async with app.state.ctx.sessionmaker() as session:
        started = time.perf_counter()
        report = await deadlines.report(
            session,
            principal,
            RuleSettings(),
            calendar,
            on=on,
            horizon_days=horizon,
            region_code=None,
            sessions=app.state.ctx.sessionmaker,
            connections=settings.deadlines.connections,
        )
        results["report_seconds"] = round(time.perf_counter() - started, 2)
    results["report_items"] = len(report.items)
    print(f"deadline report: {len(report.items)} items in {results['report_seconds']} s", flush=True)

    # 2. The whole reminder run: GET /deadlines over HTTP (in process), planning, one message per place, stored.
    key = await create_api_key(url, "bench-worker", Role.service, "360000000000", ["deadlines"])
    secret = "bench-secret"
    receiver = Receiver(secret)
    worker = WorkerSettings(
        monitoring=ServiceLink(url="http://monitoring", api_key=key, timeout_seconds=300),
        reminders=ReminderSettings(lead_workdays=3),
        webhook=WebhookSettings(url=receiver.url, secret=secret, batch_size=args.batch_size, concurrency=4),
    )
    transport = httpx.ASGITransport(app=app)
    with psycopg.connect(url.replace("+asyncpg", ""), autocommit=True) as conn:
        # A run reminds each deadline once: forget earlier bench runs so this one has its messages to make.
        conn.execute("TRUNCATE worker.reminder_mark, worker.notification CASCADE")
    slot = f"reminders@bench-{time.time_ns()}"
    started = time.perf_counter()
    run = await run_reminders(worker, slot, on, {"monitoring-api": transport})
    results["run_seconds"] = round(time.perf_counter() - started, 2)
    results["messages"] = run.messages_stored
    print(f"reminder run: {run.messages_planned} places, {run.messages_stored} messages in {results['run_seconds']} s")

    # 3. Webhook delivery of those messages and of a larger set seeded the same way (one row per message, one
    #    delivery each), to the local receiver: signatures checked, ids counted.
    with psycopg.connect(url.replace("+asyncpg", ""), autocommit=True) as conn:
        conn.execute(SEED_MESSAGES, {"count": args.webhook_messages})  # type: ignore[arg-type]
    started = time.perf_counter()
    settled = await deliver_all(worker.webhook)
    seconds = time.perf_counter() - started
    duplicates = sum(1 for count in receiver.ids.values() if count > 1)
    results.update(
        webhook_messages=settled,
        webhook_seconds=round(seconds, 2),
        webhook_messages_per_second=round(settled / seconds),
        webhook_requests=receiver.requests,
        webhook_batch_size=args.batch_size,
        duplicates=duplicates,
        bad_signatures=receiver.bad,
    )
    print(json.dumps(results, ensure_ascii=False, indent=2))
    receiver.server.shutdown()
    await app.state.ctx.engine.dispose()
    await worker_sessions.dispose()


def main() -> None:
    args = parse_args()
    url = prepare(args.admin_url, args.database, args)  # migrations run their own event loop
    asyncio.run(measure(args, url))


if __name__ == "__main__":
    main()
