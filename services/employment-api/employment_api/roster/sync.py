"""Apply registry snapshots to the roster in one statement, whatever their number (an event's or a backfill page's).

Ordering comes from `observed_at` (when monitoring-api read the member): a snapshot older than the one held is
ignored, so a replayed or late event cannot undo a newer state. Applying the same state again changes nothing: the
version moves, and the audit trail records, only when a field really changed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit
from dixian_shared.contracts import RegistryMember
from employment_api.rules import RuleSettings
from employment_api.targets.changes import touch

FIELDS = (
    "household_id",
    "region_code",
    "id_number",
    "name",
    "sex",
    "birth_date",
    "labour_skill",
    "member_status",
    "status_date",
    "household_category",
    "household_status",
)
TYPES = {"member_id": "bigint", "household_id": "bigint", "birth_date": "date", "status_date": "date"}

_columns = ", ".join(FIELDS)
_unnest = ", ".join(f"CAST(:{name} AS {TYPES.get(name, 'text')}[])" for name in ("member_id", *FIELDS))
_old = ", ".join(f"l.{name}" for name in (*FIELDS, "qualifies"))
_new = ", ".join(f"excluded.{name}" for name in (*FIELDS, "qualifies"))
_set = ", ".join(f"{name} = excluded.{name}" for name in FIELDS)

UPSERT = text(f"""
WITH incoming AS (
    SELECT * FROM unnest({_unnest}) AS t(member_id, {_columns})
), judged AS (
    -- the one definition of who belongs on the roster (age aside: that is judged per month by the targets)
    SELECT i.*, (i.household_category = ANY(:categories) AND i.labour_skill = ANY(:skills)
                 AND i.member_status = '正常' AND i.household_status = '正常') AS qualifies
    FROM incoming i
), prior AS (
    SELECT l.member_id, l.version, l.region_code FROM employment.labourer l JOIN judged j ON j.member_id = l.member_id
), up AS (
    -- Members who do not qualify are kept too (qualifies false, never on the roster): the row remembers when we
    -- saw them, so a late snapshot from before their death or category change cannot put them on the roster.
    INSERT INTO employment.labourer AS l (member_id, {_columns}, qualifies, left_on, observed_at, version)
    SELECT j.member_id, {", ".join(f"j.{name}" for name in FIELDS)}, j.qualifies, NULL, :observed_at, 1
    FROM judged j
    ON CONFLICT (member_id) DO UPDATE SET
        {_set},
        qualifies = excluded.qualifies,
        -- the day a person left the roster stays what it was while they stay off it
        left_on = CASE WHEN excluded.qualifies THEN NULL
                       WHEN l.qualifies THEN coalesce(excluded.status_date, CAST(:today AS date))
                       ELSE l.left_on END,
        observed_at = excluded.observed_at,
        version = l.version + CASE WHEN ({_old}) IS DISTINCT FROM ({_new}) THEN 1 ELSE 0 END,
        updated_at = CASE WHEN ({_old}) IS DISTINCT FROM ({_new}) THEN now() ELSE l.updated_at END
    WHERE l.observed_at < excluded.observed_at
    RETURNING l.member_id, l.version, l.qualifies, l.region_code
)
SELECT up.member_id, p.version AS before, up.version AS after, up.qualifies, up.region_code,
       p.region_code AS region_before
FROM up LEFT JOIN prior p ON p.member_id = up.member_id
""")


@dataclass
class SyncCounts:
    received: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    def __iadd__(self, other: "SyncCounts") -> "SyncCounts":
        self.received += other.received
        self.added += other.added
        self.changed += other.changed
        self.unchanged += other.unchanged
        return self


async def apply_snapshots(
    session: AsyncSession,
    members: Sequence[RegistryMember],
    observed_at: datetime,
    *,
    rules: RuleSettings,
    today: date,
    source: str,
) -> SyncCounts:
    if not members:
        return SyncCounts()
    params: dict[str, object] = {name: [getattr(m, name) for m in members] for name in ("member_id", *FIELDS)}
    params |= {
        "categories": list(rules.roster_categories),
        "skills": list(rules.roster_labour_skills),
        "today": today,
        "observed_at": observed_at,
    }
    rows = (await session.execute(UPSERT, params)).all()
    added = [row.member_id for row in rows if row.before is None and row.qualifies]
    changed = [row.member_id for row in rows if row.before is not None and row.after != row.before]
    seen = sum(1 for row in rows if row.before is None and not row.qualifies)
    moved_figures = {r.region_code for r in rows if r.after != r.before} | {
        r.region_before for r in rows if r.after != r.before and r.region_before
    }
    await touch(session, moved_figures)  # the target figures of these villages may have changed
    if added or changed or seen:
        left = [
            row.member_id for row in rows if row.before is not None and not row.qualifies and row.after != row.before
        ]
        changes = {"added": added, "changed": changed, "off_roster": left, "seen_not_qualifying": seen}
        await audit.record(session, "labourer", source, "sync", changes)
    return SyncCounts(
        received=len(members),
        added=len(added),
        changed=len(changed),
        unchanged=len(members) - len(added) - len(changed) - seen,
    )
