"""The inbox through the worker API: each person reads only their own messages; the district replays dead letters."""

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from worker_support import worker_api_fixture

from conftest import DISTRICT, TOWN, VILLAGE
from dixian_worker.models import COMMON

__all__ = ["worker_api_fixture"]

Tokens = Callable[..., dict[str, str]]

SEED = text("""
INSERT INTO worker.notification (slot, recipient, user_id, region_code, role, title, body, summary)
VALUES ('s1', 'user:7', 7, :village, 'village', '给7号', '', '{}'),
       ('s2', 'user:7', 7, :village, 'village', '再给7号', '', '{}'),
       ('s1', 'user:8', 8, :village, 'village', '给8号', '', '{}'),
       ('s1', 'region:' || :village, NULL, :village, 'village', '给本村', '', '{}'),
       ('s1', 'user:9', 9, :town, 'town', '给镇', '', '{}')
RETURNING id
""")


async def _seed(session_on: Callable[..., AsyncSession]) -> list[int]:
    async with session_on(COMMON) as session:
        ids = list((await session.scalars(SEED, {"village": VILLAGE, "town": TOWN})).all())
        await session.execute(
            text(
                "INSERT INTO worker.webhook_delivery (notification_id, status, attempts, last_error) "
                "VALUES (:a, '死信', 6, 'HTTP 503'), (:b, '已送达', 1, NULL)"
            ),
            {"a": ids[0], "b": ids[2]},
        )
        await session.commit()
    return ids


async def test_a_person_reads_and_marks_only_their_own_messages(
    worker_api: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    ids = await _seed(session_on)
    me = token_for("village", VILLAGE, subject="7")
    listed = await worker_api.get("/notifications", headers=me)
    assert listed.status_code == 200, listed.text
    assert [n["title"] for n in listed.json()["items"]] == ["给7号", "再给7号", "给本村"]
    assert (await worker_api.get("/notifications/unread-count", headers=me)).json() == {"unread": 3}

    read = await worker_api.post(f"/notifications/{ids[0]}/read", headers=me)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert (await worker_api.get("/notifications/unread-count", headers=me)).json() == {"unread": 2}
    unread = await worker_api.get("/notifications", params={"unread": "true"}, headers=me)
    assert [n["title"] for n in unread.json()["items"]] == ["再给7号", "给本村"]

    # Someone else's message does not exist for me, read or unread; another village's staff sees none of these.
    assert (await worker_api.post(f"/notifications/{ids[2]}/read", headers=me)).status_code == 404
    assert (await worker_api.get(f"/notifications/{ids[4]}/delivery", headers=me)).status_code == 404
    other = token_for("village", "360702191201", subject="10")
    assert (await worker_api.get("/notifications", headers=other)).json()["items"] == []
    town = token_for("town", TOWN, subject="9")
    assert [n["title"] for n in (await worker_api.get("/notifications", headers=town)).json()["items"]] == ["给镇"]


async def test_the_delivery_log_and_replay_of_dead_letters(
    worker_api: httpx.AsyncClient, token_for: Tokens, session_on: Callable[..., AsyncSession]
) -> None:
    ids = await _seed(session_on)
    me = token_for("village", VILLAGE, subject="7")
    district = token_for("district", DISTRICT, subject="1")
    mine = await worker_api.get(f"/notifications/{ids[0]}/delivery", headers=me)
    assert mine.status_code == 200 and mine.json()["status"] == "死信" and mine.json()["attempts"] == 6
    assert (await worker_api.get(f"/notifications/{ids[2]}/delivery", headers=district)).json()["status"] == "已送达"

    assert (await worker_api.get("/deliveries/dead", headers=me)).status_code == 403
    assert (await worker_api.post("/deliveries/replay", json={}, headers=me)).status_code == 403
    dead = await worker_api.get("/deliveries/dead", headers=district)
    assert [d["notification_id"] for d in dead.json()["items"]] == [ids[0]]
    replayed = await worker_api.post("/deliveries/replay", json={}, headers=district)
    assert replayed.status_code == 200 and replayed.json() == {"replayed": 1}
    after: dict[str, Any] = (await worker_api.get(f"/notifications/{ids[0]}/delivery", headers=me)).json()
    assert after["status"] == "待发送" and after["attempts"] == 0
    assert after["log"][-1]["outcome"] == "重放"
    assert (await worker_api.get("/deliveries/dead", headers=district)).json()["items"] == []
    audit = await worker_api.get("/audit", headers=district)
    assert any(row["entity"] == "webhook_delivery" for row in audit.json()["items"])
