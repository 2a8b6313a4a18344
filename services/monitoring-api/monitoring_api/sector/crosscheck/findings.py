"""Set-based writes of the cross-check: upsert a rule's findings on their natural key, close what a batch resolved."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    TableClause,
    case,
    column,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.schema import CreateTableAs, DropTable

from dixian_shared.auth.principal import under_region
from monitoring_api.models import table_of
from monitoring_api.sector.crosscheck.rules import CheckContext, RuleQuery
from monitoring_api.sector.enums import CheckRule, DiscrepancyStatus
from monitoring_api.sector.models import OPEN_STATUS_SQL, Batch, Discrepancy, DiscrepancyAction

d = table_of(Discrepancy)
SYSTEM = "system"
SYSTEM_NAME = "比对作业"


def _status_is(column: ColumnElement[str], *statuses: DiscrepancyStatus) -> ColumnElement[bool]:
    # Written into the SQL, not bound: the partial indexes on status are used only with constants.
    return column.in_([literal_column(f"'{s.value}'") for s in statuses])


async def upsert(session: AsyncSession, ctx: CheckContext, rule: CheckRule, query: RuleQuery) -> tuple[int, int]:
    """(found, new). An open discrepancy on the same key takes the latest data; a 误报 on the same evidence stays
    dismissed; a retry of the same batch writes nothing twice."""
    found = _temporary_table(f"crosscheck_{rule.value}", query(ctx))
    await session.execute(found)
    counts = await _upsert_from(session, ctx, rule, _by_name(found.table))
    # Dropped once read: a temporary table otherwise lives as long as the pooled connection, and a rerun in the same
    # session would meet its name.
    await session.execute(DropTable(found.table))
    return counts


def _temporary_table(name: str, query: Select[*tuple[Any, ...]]) -> CreateTableAs:
    """The rule's findings as a temporary table.

    PostgreSQL never runs the SELECT of an INSERT … SELECT with parallel workers, but it does for CREATE TABLE AS, so
    the rule's anti-join runs here on every core and the upsert then reads its result. CREATE TABLE AS is a utility
    statement that takes no bind parameters, so SQLAlchemy writes the select's values into the SQL (and compiles it
    afresh each time): safe because the rules bind only our own values (batch id, dates, enumeration values, region
    codes, settings), never text a department sent.
    """
    return CreateTableAs(query, name, temporary=True)


def _by_name(created: Table) -> TableClause:
    # Statements on a Table object are cached by its identity, a new one each run; on a name and columns, once.
    return table(created.name, *(column(c.name, c.type) for c in created.c))


async def _upsert_from(
    session: AsyncSession, ctx: CheckContext, rule: CheckRule, finding: TableClause
) -> tuple[int, int]:
    f = finding.c
    verdict = d.alias("verdict")
    dismissed = exists().where(
        verdict.c.data_type == ctx.data_type.value,
        verdict.c.rule == rule.value,
        verdict.c.subject_key == f.subject_key,
        _status_is(verdict.c.status, DiscrepancyStatus.false_alarm),
        verdict.c.registry_data == f.registry_data,
        verdict.c.department_data == f.department_data,
    )
    columns = [
        "department",
        "data_type",
        "rule",
        "subject_key",
        "region_code",
        "member_id",
        "household_id",
        "id_number",
        "registry_data",
        "department_data",
        "status",
        "first_batch_id",
        "last_batch_id",
        "version",
    ]
    source = select(
        literal(ctx.data_type.department.value),
        literal(ctx.data_type.value),
        literal(rule.value),
        f.subject_key,
        f.region_code,
        f.member_id,
        f.household_id,
        f.id_number,
        f.registry_data,
        f.department_data,
        literal(DiscrepancyStatus.pending.value),
        literal(ctx.batch_id),
        literal(ctx.batch_id),
        literal(1),
    ).where(~dismissed)
    stmt = pg_insert(d).from_select(columns, source)
    new = stmt.excluded
    changed = or_(
        d.c.registry_data != new.registry_data,
        d.c.department_data != new.department_data,
        d.c.region_code != new.region_code,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[d.c.data_type, d.c.rule, d.c.subject_key],
        index_where=text(OPEN_STATUS_SQL),
        set_={
            "last_batch_id": new.last_batch_id,
            "region_code": new.region_code,
            "member_id": new.member_id,
            "household_id": new.household_id,
            "id_number": new.id_number,
            "registry_data": new.registry_data,
            "department_data": new.department_data,
            # The ETag moves only when what the village sees moves; being seen again is bookkeeping.
            "version": case((changed, d.c.version + 1), else_=d.c.version),
            "updated_at": func.now(),
        },
        where=d.c.last_batch_id != new.last_batch_id,
    )
    written = stmt.returning(literal_column("xmax = 0").label("inserted")).cte("written")
    row = (
        await session.execute(select(func.count(), func.count().filter(written.c.inserted)).select_from(written))
    ).one()
    return int(row[0]), int(row[1])


async def close_resolved(
    session: AsyncSession, ctx: CheckContext, batch: Batch, rules: list[CheckRule], closed_at: datetime
) -> int:
    """Open discrepancies of this data type last seen in an earlier batch, and not shown by this one, are 已处理."""
    earlier = select(Batch.id).where(Batch.data_type == batch.data_type, Batch.closed_at < closed_at)
    note = f"批次 {batch.department_batch_id}（{batch.period}）不再显示此疑点，自动处理"
    old = (
        select(d.c.id, d.c.status.label("from_status"))
        .where(
            d.c.data_type == batch.data_type,
            d.c.rule.in_([r.value for r in rules]),
            _status_is(d.c.status, DiscrepancyStatus.pending, DiscrepancyStatus.verified),
            under_region(d.c.region_code, ctx.region_prefix),
            d.c.last_batch_id.in_(earlier),
        )
        .cte("resolved_before")
    )
    closed = (
        update(d)
        .where(d.c.id == old.c.id)
        .values(
            status=DiscrepancyStatus.handled.value,
            note=note,
            acted_by=SYSTEM,
            acted_by_name=SYSTEM_NAME,
            acted_at=func.now(),
            resolved_batch_id=batch.id,
            version=d.c.version + 1,
            updated_at=func.now(),
        )
        .returning(d.c.id, old.c.from_status)
        .cte("closed")
    )
    log = (
        insert(DiscrepancyAction)
        .from_select(
            ["discrepancy_id", "from_status", "to_status", "note", "actor", "actor_name"],
            select(
                closed.c.id,
                closed.c.from_status,
                literal(DiscrepancyStatus.handled.value),
                literal(note),
                literal(SYSTEM),
                literal(SYSTEM_NAME),
            ),
        )
        .returning(DiscrepancyAction.id)
        .cte("logged")
    )
    return int(await session.scalar(select(func.count()).select_from(log)) or 0)
