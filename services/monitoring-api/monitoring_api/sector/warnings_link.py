"""The expenditure-line warning (三线预警) raised by a medical-claims batch, written set-based into the warning table.

warnings.service.raise_warning handles one household at a time; a batch may show thousands, so the same semantics
(one open warning per key; a new grade resolves the old one and raises anew; new data refreshes it) are applied
here in three statements over the batch's discrepancies.
"""

from sqlalchemy import String, and_, exists, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.sector.enums import CheckRule, DataType, DiscrepancyStatus
from monitoring_api.sector.models import Discrepancy
from monitoring_api.warnings.enums import Line, Source
from monitoring_api.warnings.models import HouseholdWarning

d = Discrepancy.__table__
w = HouseholdWarning.__table__
RULE = CheckRule.out_of_pocket_over_line.value
SOURCE = Source.medical_insurance.value
OPEN_WARNING_KEY = ["household_id", "line", "rule", "source", "subject"]


def _ours() -> list:  # type: ignore[type-arg]
    return [w.c.line == Line.expenditure, w.c.rule == RULE, w.c.source == SOURCE, w.c.subject == ""]


async def sync_expenditure_warnings(session: AsyncSession, batch_id: int, data_type: DataType) -> tuple[int, int]:
    """(raised or refreshed, resolved) for the households this claims batch shows over, or no longer over, the line."""
    if data_type is not DataType.medical_claim:
        return 0, 0
    findings = (
        select(
            d.c.household_id,
            d.c.region_code,
            d.c.department_data["grade"].astext.label("grade"),
            d.c.department_data.label("data"),
        )
        .where(d.c.last_batch_id == batch_id, d.c.rule == RULE, d.c.status.in_(["待核实", "已核实"]))
        .subquery("finding")
    )
    regraded = (
        update(w)
        .where(
            *_ours(),
            w.c.resolved_at.is_(None),
            exists().where(findings.c.household_id == w.c.household_id, findings.c.grade != w.c.grade),
        )
        .values(resolved_at=func.now())
    )
    await session.execute(regraded)
    stmt = insert(w).from_select(
        ["household_id", "region_code", "line", "grade", "rule", "source", "subject", "data"],
        select(
            findings.c.household_id,
            findings.c.region_code,
            literal(Line.expenditure.value, String),
            findings.c.grade,
            literal(RULE),
            literal(SOURCE),
            literal(""),
            findings.c.data,
        ),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=OPEN_WARNING_KEY,
        index_where=w.c.resolved_at.is_(None),
        set_={"data": stmt.excluded.data, "region_code": stmt.excluded.region_code},
        where=or_(w.c.data.is_distinct_from(stmt.excluded.data), w.c.region_code != stmt.excluded.region_code),
    ).returning(w.c.id)
    raised = len((await session.execute(stmt)).all())
    # Households whose finding this batch closed (no longer over the line) have their warning resolved.
    cleared = (
        update(w)
        .where(
            *_ours(),
            w.c.resolved_at.is_(None),
            exists().where(
                and_(
                    d.c.household_id == w.c.household_id,
                    d.c.resolved_batch_id == batch_id,
                    d.c.rule == RULE,
                    d.c.status == DiscrepancyStatus.handled.value,
                )
            ),
        )
        .values(resolved_at=func.now())
        .returning(w.c.id)
    )
    resolved = len((await session.execute(cleared)).all())
    return raised, resolved
