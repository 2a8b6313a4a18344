"""The search's rules: run it in scope, show ID numbers in full only to the roles that keep the record, audit it."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit
from dixian_shared.auth.principal import Principal
from dixian_shared.pagination import PageParams, apply_keyset
from dixian_shared.personal import mask_id_number
from monitoring_api.households.models import Member
from monitoring_api.search import repository


async def search(
    session: AsyncSession, principal: Principal, params: PageParams, text: str
) -> tuple[Sequence[Row[*tuple[Any, ...]]], bool]:
    """(rows of the page plus one, whether ID numbers are shown in full). Every search is audited: who looked for
    whom (the text) and which members it returned."""
    stmt = apply_keyset(repository.search(principal, text.strip() or text), [Member.id], params)
    rows = (await session.execute(stmt)).all()
    # A search answers a list, and every list masks ID numbers (dixian_shared.personal, MaskedItems); the full
    # number is read on the member's own record, where that read is audited.
    shown = False
    returned = [row[0].id for row in rows[: params.limit]]
    await audit.record(
        session, "member", "search", "search", {"query": text, "member_ids": returned, "id_numbers_shown": shown}
    )
    return rows, shown


def id_number_for(id_number: str, shown: bool) -> str:
    return id_number if shown else mask_id_number(id_number)
