"""Keeping the roster in step: one event's member(s), or the whole registry once (backfill). Flushes, never commits."""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import date

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from employment_api.roster import feed
from employment_api.roster.sync import SyncCounts, apply_snapshots
from employment_api.rules import RuleSettings


async def sync_event(
    session: AsyncSession,
    client: httpx.AsyncClient,
    entity: str,
    entity_id: int,
    *,
    rules: RuleSettings,
    today: date,
    event_id: str,
) -> SyncCounts:
    """Fetch the member (or household) the event names as it is now, and apply it if it is newer than ours."""
    counts = SyncCounts()
    params = feed.for_event(entity, entity_id)
    if params is None:
        return counts
    async for page in feed.pages(client, params):
        counts += await apply_snapshots(
            session, page.items, page.observed_at, rules=rules, today=today, source=f"event:{event_id}"
        )
    return counts


async def backfill(
    unit_of_work: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    client: httpx.AsyncClient,
    *,
    rules: RuleSettings,
    today: date,
) -> SyncCounts:
    """Read every possible labourer of an existing registry through the feed, a page per statement and commit.

    Safe to run again or beside the event sync: each page is applied under the same observed_at ordering.
    """
    counts = SyncCounts()
    async for page in feed.pages(client, feed.for_backfill(rules)):
        async with unit_of_work() as session:
            counts += await apply_snapshots(
                session, page.items, page.observed_at, rules=rules, today=today, source="backfill"
            )
    return counts
