"""The sheet's queries: the template's rows, and uploads in the caller's region."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, undefer

from dixian_shared.auth.principal import Principal, in_scope
from employment_api.ledger.models import LedgerEntry
from employment_api.roster.definitions import on_roster_in
from employment_api.roster.models import Labourer
from employment_api.rules import RuleSettings
from employment_api.sheets.models import LedgerUpload

JOB_FIELDS = ("status", "place", "employer", "months_worked", "monthly_income", "job_channel")


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


async def template_rows(session: AsyncSession, village: str, month: date, rules: RuleSettings) -> Sequence[Any]:
    """Every labourer of the village on the month's roster, with this month's entry, else last month's."""
    this, last = aliased(LedgerEntry), aliased(LedgerEntry)
    # This month's entry if there is one (a field it leaves empty stays empty), else last month's.
    fields = [
        case((this.id.is_not(None), getattr(this, name)), else_=getattr(last, name)).label(name) for name in JOB_FIELDS
    ]
    stmt = (
        select(Labourer.id, Labourer.id_number, Labourer.name, this.id.label("entry_id"), *fields)
        .outerjoin(this, and_(this.labourer_id == Labourer.id, this.month == month))
        .outerjoin(last, and_(last.labourer_id == Labourer.id, last.month == previous_month(month)))
        .where(Labourer.region_code == village, on_roster_in(month, rules))
        .order_by(Labourer.id)
    )
    return (await session.execute(stmt)).all()


async def upload(
    session: AsyncSession, principal: Principal | None, upload_id: int, *, with_content: bool = False
) -> LedgerUpload | None:
    stmt = select(LedgerUpload).where(LedgerUpload.id == upload_id)
    if principal is not None:
        stmt = stmt.where(in_scope(LedgerUpload.region_code, principal))
    if with_content:
        stmt = stmt.options(undefer(LedgerUpload.content))
    return await session.scalar(stmt)
