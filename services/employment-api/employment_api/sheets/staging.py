"""Checked rows into a staging table by COPY, the checks that need the database, and the set-based merge."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    Table,
    Text,
    case,
    literal,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from employment_api.roster.definitions import on_roster_in
from employment_api.roster.models import Labourer
from employment_api.rules import RuleSettings
from employment_api.sheets.rows import Record, RowError

# The staging table, for building the checks with the roster's own SQL definition (it lives per transaction).
STAGE = Table(
    "ledger_upload_rows",
    MetaData(),
    Column("row_no", Integer),
    Column("labourer_id", BigInteger),
    Column("id_number", Text),
    Column("status", Text),
    Column("place", Text),
    Column("employer", Text),
    Column("months_worked", SmallInteger),
    Column("monthly_income", Numeric(14, 2)),
    Column("job_channel", Text),
    prefixes=["TEMPORARY"],
)
COLUMNS = [c.name for c in STAGE.columns]

# Existing entries first (only those that differ), then the new ones: plain statements, no speculative insertion.
UPDATE = text("""
WITH changed AS (
    UPDATE employment.ledger_entry e SET
        status = s.status, place = s.place, employer = s.employer, months_worked = s.months_worked,
        monthly_income = s.monthly_income, job_channel = s.job_channel,
        late = e.late OR :late,
        late_reason = CASE WHEN :late THEN CAST(:late_reason AS text) ELSE e.late_reason END,
        version = e.version + 1, updated_at = now()
    FROM ledger_upload_rows s
    WHERE e.labourer_id = s.labourer_id AND e.month = :month
      AND (e.status, e.place, e.employer, e.months_worked, e.monthly_income, e.job_channel)
          IS DISTINCT FROM (s.status, s.place, s.employer, s.months_worked, s.monthly_income, s.job_channel)
    RETURNING 1
)
SELECT count(*) FROM changed
""")
INSERT = text("""
WITH added AS (
    INSERT INTO employment.ledger_entry (labourer_id, month, region_code, household_id, status, place, employer,
        months_worked, monthly_income, job_channel, late, late_reason, version)
    SELECT s.labourer_id, :month, l.region_code, l.household_id, s.status, s.place, s.employer, s.months_worked,
           s.monthly_income, s.job_channel, :late, CASE WHEN :late THEN CAST(:late_reason AS text) END, 1
    FROM ledger_upload_rows s JOIN employment.labourer l ON l.id = s.labourer_id
    WHERE NOT EXISTS (
        SELECT 1 FROM employment.ledger_entry e WHERE e.labourer_id = s.labourer_id AND e.month = :month
    )
    RETURNING 1
)
SELECT count(*) FROM added
""")


async def copy_in(session: AsyncSession, records: Sequence[Record]) -> None:
    await session.execute(
        text(
            "CREATE TEMPORARY TABLE IF NOT EXISTS ledger_upload_rows (row_no int, labourer_id bigint, "
            "id_number text, status text, place text, employer text, months_worked smallint, "
            "monthly_income numeric(14,2), job_channel text) ON COMMIT DROP"
        )
    )
    await session.execute(text("TRUNCATE ledger_upload_rows"))
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is None:
        raise RuntimeError("the session's connection has no driver connection (closed)")
    await driver.copy_records_to_table("ledger_upload_rows", records=records, columns=COLUMNS)
    # Autovacuum never sees a temporary table: without statistics the checks and the merge plan nested loops.
    await session.execute(text("ANALYZE ledger_upload_rows"))


async def database_errors(session: AsyncSession, village: str, month: date, rules: RuleSettings) -> list[RowError]:
    """Rows whose labourer is unknown here, of another village, another person, or not on the roster that month."""
    problem = case(
        (Labourer.id.is_(None), literal("劳动力编号不存在")),
        (Labourer.region_code != village, literal("该劳动力不属于本村")),
        (Labourer.id_number != STAGE.c.id_number, literal("身份证号与劳动力编号不一致")),
        (~on_roster_in(month, rules), literal("该劳动力本月不在名册内（劳动能力、劳动年龄、健在、在册）")),
        else_=literal(None),
    ).label("problem")
    checked = (
        select(STAGE.c.row_no, problem)
        .select_from(STAGE.outerjoin(Labourer, Labourer.id == STAGE.c.labourer_id))
        .subquery("checked")
    )
    stmt = select(checked.c.row_no, checked.c.problem).where(checked.c.problem.is_not(None)).order_by(checked.c.row_no)
    rows = (await session.execute(stmt)).all()
    column = {"身份证号与劳动力编号不一致": "id_number"}
    return [RowError(row.row_no, column.get(row.problem, "labourer_id"), row.problem) for row in rows]


async def merge(session: AsyncSession, month: date, *, late: bool, late_reason: str | None) -> tuple[int, int]:
    """(inserted, updated); rows equal to what is stored are left alone. The caller holds the month's lock."""
    params = {"month": month, "late": late, "late_reason": late_reason}
    updated = await session.scalar(UPDATE, params) or 0
    inserted = await session.scalar(INSERT, params) or 0
    return inserted, updated
