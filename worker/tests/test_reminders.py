"""A month of reminder runs for a seeded district: what each recipient is told, and when; nothing twice."""

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from worker_support import Monitoring, add_service_key, add_user, live_monitoring_fixture, worker_database_fixture

__all__ = ["live_monitoring_fixture", "worker_database_fixture"]

from conftest import DISTRICT, OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared import idnumber
from dixian_shared.service_client import ServiceLink
from dixian_shared.testing.plugin import free_port
from dixian_worker.notifications.models import Notification, WebhookDelivery
from dixian_worker.reminders import store
from dixian_worker.reminders.models import ReminderMark, SourceFetch
from dixian_worker.reminders.tasks import run_reminders
from dixian_worker.settings import ReminderSettings, WebhookSettings, WorkerSettings

Seen = dict[str, list[tuple[str, str, str, int, str, str, bool]]]


async def _household(client: httpx.AsyncClient, headers: dict[str, str], region: str, number: str) -> int:
    body = {
        "region_code": region,
        "head_name": "张三",
        "category": "一般农户",
        "members": [{"id_number": number, "name": "张三", "relation": "户主", "labour_skill": "普通劳动力"}],
    }
    response = await client.post("/households", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def seed_district(monitoring: Monitoring, token_for: Any) -> None:
    """September 2024: Mid-Autumn 15–17 Sep, Saturday the 14th worked; Sunday 29 Sep worked; National Day 1–7 Oct."""
    district = token_for("district", DISTRICT)
    numbers = iter(idnumber.make(f"36070219800101{n:03d}") for n in range(100, 200))
    monitoring.clock.today = date(2024, 9, 5)
    async with monitoring.client() as client:
        ids = [await _household(client, district, VILLAGE, next(numbers)) for _ in range(4)]
        other = await _household(client, district, OTHER_VILLAGE, next(numbers))
        village = token_for("village", VILLAGE)
        # A: clue 24 Aug, due Sunday 8 Sep (effective Friday 6 Sep). B: clue 1 Sep, due 16 Sep, Mid-Autumn (effective
        # Saturday 14 Sep, an adjusted working day).
        for hid, clue in ((ids[0], "2024-08-24"), (ids[1], "2024-09-01")):
            case = {"household_id": hid, "channel": "干部排查", "clue_date": clue}
            assert (await client.post("/inclusion-cases", json=case, headers=village)).status_code == 201
        # C: 暂不纳入 in September, for the town to review by Monday 30 Sep. D: 持续关注 in August, to re-assess in
        # September, in a village with no user account (its message is addressed to the village itself).
        for hid, month, outcome, region in (
            (ids[2], "2024-09", "暂不纳入", VILLAGE),
            (other, "2024-08", "持续关注", OTHER_VILLAGE),
        ):
            body = {
                "household_id": hid,
                "month": month,
                "outcome": outcome,
                "risk_causes": ["因病"],
                "reasons": "户主住院",
                "assessed_on": f"{month}-05",
            }
            response = await client.post("/assessments", json=body, headers=token_for("village", region))
            assert response.status_code == 201, response.text


async def _stored(committed: async_sessionmaker[AsyncSession]) -> Seen:
    seen: Seen = {}
    async with committed() as session:
        for n in (await session.scalars(select(Notification).order_by(Notification.id))).all():
            seen.setdefault(f"{n.slot[-10:]} {n.recipient}", []).extend(
                (
                    i["stage"],
                    i["kind"].removeprefix("monitoring."),
                    i["region_code"],
                    i["count"],
                    i["nominal_deadline"],
                    i["effective_deadline"],
                    i["non_working_day"],
                )
                for i in n.summary["items"]
            )
    return seen


async def test_a_month_of_reminders_for_a_seeded_district(
    committed: async_sessionmaker[AsyncSession], worker_database: None, live_monitoring: Monitoring, token_for: Any
) -> None:
    await seed_district(live_monitoring, token_for)
    village_user = await add_user(committed, "xg", "village", VILLAGE)
    town_users = [await add_user(committed, f"tk{n}", "town", TOWN) for n in range(2)]
    district_user = await add_user(committed, "qu", "district", DISTRICT)
    key = await add_service_key(committed, "deadlines")
    settings = WorkerSettings(
        monitoring=ServiceLink(url="http://monitoring", api_key=key),
        # funds-api is down (nothing listens there): its failure is recorded and the others' reminders still go out.
        funds=ServiceLink(url=f"http://127.0.0.1:{free_port()}", timeout_seconds=2),
        reminders=ReminderSettings(lead_workdays=2),
    )
    transports: dict[str, httpx.AsyncBaseTransport] = {"monitoring-api": live_monitoring.transport}
    day = date(2024, 9, 1)
    skipped = []
    while day <= date(2024, 10, 8):
        result = await run_reminders(settings, f"reminders@{day.isoformat()}", day, transports)
        if result.skipped:
            skipped.append(day.isoformat())
        day += timedelta(days=1)
    # Weekends and holidays are skipped; Saturday 14 Sep and Sunday 29 Sep are working days and run.
    assert "2024-09-14" not in skipped and "2024-09-29" not in skipped
    assert {"2024-09-15", "2024-09-16", "2024-09-17", "2024-09-21", "2024-10-01", "2024-10-07"} <= set(skipped)

    v, t0, t1, d = f"user:{village_user}", f"user:{town_users[0]}", f"user:{town_users[1]}", f"user:{district_user}"
    a_due = ("即将到期", "inclusion_decision", VILLAGE, 1, "2024-09-08", "2024-09-06", True)
    a_missed = ("已逾期", "inclusion_decision", VILLAGE, 1, "2024-09-08", "2024-09-06", True)
    b_due = ("即将到期", "inclusion_decision", VILLAGE, 1, "2024-09-16", "2024-09-14", True)
    b_missed = ("已逾期", "inclusion_decision", VILLAGE, 2, "2024-09-16", "2024-09-14", True)
    c_due = ("即将到期", "not_now_review", TOWN, 1, "2024-09-30", "2024-09-30", False)
    c_missed = ("已逾期", "not_now_review", TOWN, 1, "2024-09-30", "2024-09-30", False)
    d_due = ("即将到期", "watch_reassessment", OTHER_VILLAGE, 1, "2024-09-30", "2024-09-30", False)
    d_missed = ("已逾期", "watch_reassessment", OTHER_VILLAGE, 1, "2024-09-30", "2024-09-30", False)
    region = f"region:{OTHER_VILLAGE}"
    assert await _stored(committed) == {
        # Two working days ahead of Friday 6 Sep (the Sunday deadline's effective day): Wednesday 4 Sep.
        f"2024-09-04 {v}": [a_due],
        # Missed: the village again, and its town (both town users) above it.
        f"2024-09-09 {v}": [a_missed],
        f"2024-09-09 {t0}": [a_missed],
        f"2024-09-09 {t1}": [a_missed],
        # Two working days before Saturday 14 Sep (worked): Thursday 12 Sep.
        f"2024-09-12 {v}": [b_due],
        # The first run after the holiday: both cases are now late, the latest missed deadline is B's.
        f"2024-09-18 {v}": [b_missed],
        f"2024-09-18 {t0}": [b_missed],
        f"2024-09-18 {t1}": [b_missed],
        # Two working days before Monday 30 Sep counting Sunday 29 Sep (worked): Friday 27 Sep.
        f"2024-09-27 {t0}": [c_due],
        f"2024-09-27 {t1}": [c_due],
        f"2024-09-27 {region}": [d_due],
        # After National Day: the town missed its review (escalated to the district) and sees the village's miss.
        f"2024-10-08 {t0}": [c_missed, d_missed],
        f"2024-10-08 {t1}": [c_missed, d_missed],
        f"2024-10-08 {d}": [c_missed],
        f"2024-10-08 {region}": [d_missed],
    }
    async with committed() as session:
        fetches = {(f.slot[-10:], f.service): f.status for f in (await session.scalars(select(SourceFetch))).all()}
        message = await session.scalar(
            select(Notification).where(Notification.recipient == t0).order_by(Notification.id.desc())
        )
    assert fetches[("2024-09-27", "monitoring-api")] == "成功"
    assert fetches[("2024-09-27", "funds-api")] == "失败"
    assert message is not None
    assert message.title == "10月08日待办提醒：0项即将到期，1项已逾期，下级1项逾期"
    assert f"/assessments/overdue?region_code={TOWN}" in message.body

    # The same slot run again, twice at once: nothing new is stored.
    again = await asyncio.gather(
        *(run_reminders(settings, "reminders@2024-10-08", date(2024, 10, 8), transports) for _ in range(2))
    )
    assert [r.messages_stored for r in again] == [0, 0] and all(r.messages_planned == 3 for r in again)  # places
    assert len(await _stored(committed)) == 15


async def test_a_run_that_dies_after_writing_leaves_nothing_and_its_rerun_sends_each_message_once(
    committed: async_sessionmaker[AsyncSession],
    worker_database: None,
    live_monitoring: Monitoring,
    token_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await seed_district(live_monitoring, token_for)
    await add_user(committed, "tk", "town", TOWN)
    key = await add_service_key(committed, "deadlines")
    settings = WorkerSettings(
        monitoring=ServiceLink(url="http://monitoring", api_key=key),
        reminders=ReminderSettings(lead_workdays=2),
        webhook=WebhookSettings(url="http://gateway.invalid/sms", secret="s"),
    )
    transports: dict[str, httpx.AsyncBaseTransport] = {"monitoring-api": live_monitoring.transport}
    original = store.save_messages

    async def write_then_die(*args: Any, **kwargs: Any) -> int:
        await original(*args, **kwargs)
        raise RuntimeError("worker killed")  # after the messages, marks and deliveries were written, before commit

    monkeypatch.setattr(store, "save_messages", write_then_die)
    with pytest.raises(RuntimeError):
        await run_reminders(settings, "reminders@2024-10-08", date(2024, 10, 8), transports)
    async with committed() as session:
        assert await session.scalar(select(func.count()).select_from(Notification)) == 0
        assert await session.scalar(select(func.count()).select_from(ReminderMark)) == 0

    monkeypatch.setattr(store, "save_messages", original)
    first = await run_reminders(settings, "reminders@2024-10-08", date(2024, 10, 8), transports)
    again = await run_reminders(settings, "reminders@2024-10-08", date(2024, 10, 8), transports)
    # The town user, and the district and both villages addressed as places (they have no user here).
    assert first.messages_stored == 4 and again.messages_stored == 0
    async with committed() as session:
        assert await session.scalar(select(func.count()).select_from(WebhookDelivery)) == 4  # one delivery each
