"""The labour roster follows monitoring-api's registry: who is on it, replays and late events, deaths, backfill."""

from datetime import date

import httpx
from emp_helpers import Sessions, Tokens, add_household, member, registry, sync
from sqlalchemy import func, select

from conftest import OTHER_VILLAGE, VILLAGE
from dixian_shared.contracts import RegistryMember, RegistryMemberPage
from employment_api.models import COMMON as EMPLOYMENT
from employment_api.roster import service as roster
from employment_api.roster.models import Labourer
from employment_api.roster.sync import FIELDS, apply_snapshots
from employment_api.rules import RuleSettings

__all__ = ["registry"]
AUDIT = EMPLOYMENT.audit_log


async def _labourers(session_on: Sessions) -> dict[int, Labourer]:
    async with session_on(EMPLOYMENT) as session:
        return {row.member_id: row for row in (await session.scalars(select(Labourer))).all()}


async def _audit_rows(session_on: Sessions) -> int:
    async with session_on(EMPLOYMENT) as session:
        return await session.scalar(select(func.count()).select_from(AUDIT).where(AUDIT.c.entity == "labourer")) or 0


async def test_the_feed_needs_a_service_key_with_registry_read(
    monitoring: httpx.AsyncClient, registry: httpx.AsyncClient, token_for: Tokens
) -> None:
    household = await add_household(monitoring, token_for, VILLAGE, [member()])
    member_id = household["members"][0]["id"]
    page = await registry.get("/service/members", params={"member_id": member_id})
    assert page.status_code == 200, page.text
    assert [item["member_id"] for item in page.json()["items"]] == [member_id]
    assert page.json()["items"][0]["household_category"] == "脱贫户"
    for headers in (token_for("village", VILLAGE), token_for("town", VILLAGE[:9] + "000")):
        refused = await monitoring.get("/service/members", params={"member_id": member_id}, headers=headers)
        assert refused.status_code == 403


async def test_only_working_capacity_of_lifted_and_monitored_households_joins(
    monitoring: httpx.AsyncClient, registry: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    lifted = await add_household(
        monitoring, token_for, VILLAGE, [member(skill="技能劳动力"), member(skill="无劳动力"), member("19500101")]
    )
    subject = await add_household(monitoring, token_for, VILLAGE, [member()], category="边缘易致贫户")
    ordinary = await add_household(monitoring, token_for, VILLAGE, [member()], category="一般农户")
    for household in (lifted, subject, ordinary):
        await sync(session_on, registry, "household", household["id"])
    roster = {member_id: row for member_id, row in (await _labourers(session_on)).items() if row.qualifies}
    skilled, _no_capacity, elder = (m["id"] for m in lifted["members"])
    # The 1950-born member is stored (age is judged per month by the targets), the 无劳动力 one and 一般农户 are not.
    assert set(roster) == {skilled, elder, subject["members"][0]["id"]}
    assert all(row.qualifies and row.left_on is None for row in roster.values())
    assert roster[skilled].labour_skill == "技能劳动力"
    assert roster[skilled].region_code == VILLAGE


async def test_a_replayed_event_changes_nothing(
    monitoring: httpx.AsyncClient, registry: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    household = await add_household(monitoring, token_for, VILLAGE, [member()])
    member_id = household["members"][0]["id"]
    first = await sync(session_on, registry, "member", member_id)
    assert (first.added, first.changed) == (1, 0)
    before = (await _labourers(session_on))[member_id]
    audits = await _audit_rows(session_on)
    again = await sync(session_on, registry, "member", member_id)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 1)
    after = (await _labourers(session_on))[member_id]
    assert (after.version, after.updated_at) == (before.version, before.updated_at)
    assert await _audit_rows(session_on) == audits


async def test_a_late_snapshot_older_than_the_roster_is_ignored(
    monitoring: httpx.AsyncClient, registry: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    household = await add_household(monitoring, token_for, VILLAGE, [member()])
    member_id = household["members"][0]["id"]
    await sync(session_on, registry, "member", member_id)
    old = RegistryMemberPage.model_validate(
        (await registry.get("/service/members", params={"member_id": member_id})).json()
    )
    died = await monitoring.post(
        f"/members/{member_id}/death", json={"died_on": "2026-11-20"}, headers=token_for("village", VILLAGE)
    )
    assert died.status_code in (200, 201), died.text
    await sync(session_on, registry, "member", member_id, today=date(2026, 11, 21))
    # The event of the earlier change arrives last: its snapshot predates what the roster holds.
    async with session_on(EMPLOYMENT) as session:
        counts = await apply_snapshots(
            session, old.items, old.observed_at, rules=RuleSettings(), today=date(2026, 11, 22), source="test"
        )
        await session.commit()
    assert (counts.added, counts.changed) == (0, 0)
    row = (await _labourers(session_on))[member_id]
    assert (row.member_status, row.qualifies, row.left_on) == ("死亡", False, date(2026, 11, 20))


async def test_losing_capacity_leaves_the_roster_and_keeps_the_row(
    monitoring: httpx.AsyncClient, registry: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    household = await add_household(monitoring, token_for, VILLAGE, [member()])
    person = household["members"][0]
    await sync(session_on, registry, "member", person["id"])
    read = await monitoring.get(f"/members/{person['id']}", headers=token_for("village", VILLAGE))
    changed = await monitoring.patch(
        f"/members/{person['id']}",
        json={"labour_skill": "丧失劳动力"},
        headers={**token_for("village", VILLAGE), "If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text
    await sync(session_on, registry, "member", person["id"], today=date(2026, 12, 3))
    row = (await _labourers(session_on))[person["id"]]
    assert (row.qualifies, row.left_on, row.labour_skill) == (False, date(2026, 12, 3), "丧失劳动力")
    # A later unrelated sync keeps the day they left.
    await sync(session_on, registry, "household", household["id"], today=date(2027, 1, 5))
    assert (await _labourers(session_on))[person["id"]].left_on == date(2026, 12, 3)


async def test_backfill_reads_an_existing_registry_once(
    monitoring: httpx.AsyncClient, registry: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    here = await add_household(monitoring, token_for, VILLAGE, [member(), member(skill="弱劳动力或半劳动力")])
    there = await add_household(monitoring, token_for, OTHER_VILLAGE, [member(), member()], category="脱贫不稳定户")

    def unit_of_work():  # type: ignore[no-untyped-def]
        return _committing(session_on)

    counts = await roster.backfill(unit_of_work, registry, rules=RuleSettings(), today=date(2026, 11, 2))
    expected = {here["members"][0]["id"], *(m["id"] for m in there["members"])}
    assert set(await _labourers(session_on)) == expected
    assert counts.added == 3
    again = await roster.backfill(unit_of_work, registry, rules=RuleSettings(), today=date(2026, 11, 2))
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)


class _committing:
    def __init__(self, session_on: Sessions) -> None:
        self.session = session_on(EMPLOYMENT)

    async def __aenter__(self):  # type: ignore[no-untyped-def]
        return self.session

    async def __aexit__(self, kind, *_):  # type: ignore[no-untyped-def]
        if kind is None:
            await self.session.commit()
        await self.session.close()


def test_snapshot_contract_field_names_match_the_roster() -> None:
    assert set(FIELDS) | {"member_id"} == set(RegistryMember.model_fields)
