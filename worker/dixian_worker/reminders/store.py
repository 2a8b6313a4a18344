"""Writing a run: the services' answers, the marks and the messages, set-based, in the run's one transaction."""

import json
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_worker.reminders.collect import Fetched
from dixian_worker.reminders.models import ReminderMark, SourceFetch
from dixian_worker.reminders.plan import Mark, Message

# One statement for every message of the run: each place's message goes to every active user of that place and
# role (identity schema, shared by all processes); a place with no user yet gets it addressed to itself. The unique
# (slot, recipient) makes a repeated run add nothing; only new messages get a webhook delivery.
INSERT_MESSAGES = text("""
WITH m AS (
    SELECT * FROM unnest(
        CAST(:regions AS text[]), CAST(:roles AS text[]), CAST(:titles AS text[]),
        CAST(:bodies AS text[]), CAST(:summaries AS text[])
    ) AS m(region_code, role, title, body, summary)
), addressed AS (
    SELECT m.*, u.id AS user_id
    FROM m LEFT JOIN identity.user_account u ON u.region_code = m.region_code AND u.role = m.role AND u.active
), stored AS (
    INSERT INTO worker.notification (slot, recipient, user_id, region_code, role, title, body, summary)
    SELECT :slot, COALESCE('user:' || user_id, 'region:' || region_code), user_id, region_code, role, title, body,
           CAST(summary AS jsonb)
    FROM addressed
    ON CONFLICT (slot, recipient) DO NOTHING
    RETURNING id
), delivered AS (
    INSERT INTO worker.webhook_delivery (notification_id) SELECT id FROM stored WHERE :webhook
)
SELECT count(*) FROM stored
""")


# The run's marks in one statement of four arrays (a VALUES list of 7,441 rows took SQLAlchemy 1.4 s to build).
INSERT_MARKS = text("""
INSERT INTO worker.reminder_mark (kind, region_code, nominal_deadline, stage, slot)
SELECT kind, region_code, nominal_deadline, stage, :slot
FROM unnest(
    CAST(:kinds AS text[]), CAST(:regions AS text[]), CAST(:deadlines AS date[]), CAST(:stages AS text[])
) AS m (kind, region_code, nominal_deadline, stage)
ON CONFLICT DO NOTHING
""")


async def earlier_marks(session: AsyncSession, slot: str, since: date) -> set[Mark]:
    """Marks of other runs for deadlines from `since` on (older ones cannot come back)."""
    stmt = select(ReminderMark.kind, ReminderMark.region_code, ReminderMark.nominal_deadline, ReminderMark.stage).where(
        ReminderMark.slot != slot, ReminderMark.nominal_deadline >= since
    )
    return {(kind, region, nominal, stage) for kind, region, nominal, stage in (await session.execute(stmt)).all()}


async def save_fetches(session: AsyncSession, slot: str, fetched: Iterable[Fetched]) -> None:
    rows = [
        {
            "slot": slot,
            "service": f.service,
            "status": "失败" if f.error else "成功",
            "items": len(f.items),
            "error": f.error,
        }
        for f in fetched
    ]
    if rows:
        stmt = insert(SourceFetch).values(rows)
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[SourceFetch.slot, SourceFetch.service],
                set_={"status": stmt.excluded.status, "items": stmt.excluded["items"], "error": stmt.excluded.error},
            )
        )


async def save_marks(session: AsyncSession, slot: str, marks: list[Mark]) -> None:
    if marks:
        kinds, regions, deadlines, stages = (list(column) for column in zip(*marks, strict=True))
        params = {"slot": slot, "kinds": kinds, "regions": regions, "deadlines": deadlines, "stages": stages}
        await session.execute(INSERT_MARKS, params)


async def save_messages(
    session: AsyncSession, slot: str, on: date, messages: list[Message], *, link_base: str, webhook: bool
) -> int:
    if not messages:
        return 0
    params = {
        "slot": slot,
        "webhook": webhook,
        "regions": [m.region_code for m in messages],
        "roles": [m.role for m in messages],
        "titles": [m.title(on) for m in messages],
        "bodies": [m.body(link_base) for m in messages],
        "summaries": [json.dumps(m.summary(on, link_base), ensure_ascii=False) for m in messages],
    }
    return int(await session.scalar(INSERT_MESSAGES, params) or 0)
