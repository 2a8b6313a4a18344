"""household last visit: household.last_visited_on, kept by the visit table's triggers, and the visited index

The visit cadence counts from a household's latest visit. Looking it up among the visits for each household made the
overdue-visit rule an index probe per visited household (a million on a province); the household row now carries
it. Statement-level triggers on monitoring.visit keep it in the transaction of every write, whatever writes it (the
API, a bulk INSERT … SELECT, a correction, a deletion, a household's records moving village), one UPDATE per
statement: an insert raises it to the latest new visit; an update of household_id or visited_on, or a delete,
counts it again from the visits that remain. The backfill is one grouped UPDATE.

ix_household_visited covers what the overdue-visit rule reads of the households it visits (active, 脱贫户 and the
monitoring subjects), so the rule reads that index instead of the whole table.

Revision ID: m11_household_last_visit
Revises: m10_household_import_jobs
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m11_household_last_visit"
down_revision: str | None = "m10_household_import_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "monitoring"
VISITED = "('脱贫户', '脱贫不稳定户', '边缘易致贫户', '突发严重困难户')"  # households/enums.py VISITED

RAISE = f"""
CREATE FUNCTION {SCHEMA}.visit_raises_last_visit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {SCHEMA}.household AS h
    SET last_visited_on = GREATEST(h.last_visited_on, n.visited_on)
    FROM (SELECT household_id, max(visited_on) AS visited_on FROM new_visits GROUP BY household_id) AS n
    WHERE h.id = n.household_id;
    RETURN NULL;
END $$
"""

RECOUNT = f"""
CREATE FUNCTION {SCHEMA}.visit_recounts_last_visit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT household_id) INTO touched FROM old_visits;
    ELSE
        SELECT array_agg(DISTINCT t.household_id) INTO touched
        FROM old_visits AS o JOIN new_visits AS n USING (id)
        CROSS JOIN LATERAL (VALUES (o.household_id), (n.household_id)) AS t (household_id)
        WHERE (o.household_id, o.visited_on) IS DISTINCT FROM (n.household_id, n.visited_on);
    END IF;
    IF touched IS NULL THEN
        RETURN NULL;
    END IF;
    -- Lock the households first and count in a later statement: under READ COMMITTED that statement's snapshot
    -- sees every visit committed by a writer that held the lock before us.
    PERFORM 1 FROM {SCHEMA}.household WHERE id = ANY (touched) ORDER BY id FOR UPDATE;
    UPDATE {SCHEMA}.household AS h
    SET last_visited_on = (SELECT max(v.visited_on) FROM {SCHEMA}.visit AS v WHERE v.household_id = h.id)
    WHERE h.id = ANY (touched);
    RETURN NULL;
END $$
"""

OLD, NEW = "OLD TABLE AS old_visits", "NEW TABLE AS new_visits"
TRIGGERS = (
    ("visit_inserted", "INSERT", NEW, "visit_raises_last_visit"),
    ("visit_updated", "UPDATE", f"{OLD} {NEW}", "visit_recounts_last_visit"),
    ("visit_deleted", "DELETE", OLD, "visit_recounts_last_visit"),
)


def upgrade() -> None:
    op.add_column("household", sa.Column("last_visited_on", sa.Date(), nullable=True), schema=SCHEMA)
    op.execute(RAISE)
    op.execute(RECOUNT)
    # The triggers first: their lock on visit holds back new visits until the backfill below has committed.
    for name, event, transition, function in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {SCHEMA}.visit REFERENCING {transition} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.{function}()"
        )
    op.execute(
        f"""
        UPDATE {SCHEMA}.household AS h SET last_visited_on = v.visited_on
        FROM (SELECT household_id, max(visited_on) AS visited_on FROM {SCHEMA}.visit GROUP BY household_id) AS v
        WHERE h.id = v.household_id
        """
    )
    op.create_index(
        "ix_household_visited",
        "household",
        ["region_code", "id"],
        schema=SCHEMA,
        postgresql_include=["category", "risk_eliminated_on", "included_on", "created_at", "last_visited_on"],
        postgresql_where=sa.text(f"status = '正常' AND category IN {VISITED}"),
    )


def downgrade() -> None:
    op.drop_index("ix_household_visited", table_name="household", schema=SCHEMA)
    for name, *_ in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {SCHEMA}.visit")
    op.execute(f"DROP FUNCTION {SCHEMA}.visit_recounts_last_visit()")
    op.execute(f"DROP FUNCTION {SCHEMA}.visit_raises_last_visit()")
    op.drop_column("household", "last_visited_on", schema=SCHEMA)
