"""Registry search by name or ID number, within the caller's region; every search is audited (who looked for whom).

A query that is a resident ID number (18 characters, check character valid) finds that person; anything else is a
name, matched exactly or as its beginning. ID numbers come back masked except for the roles in privacy.ID_NUMBER_ROLES.
"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared import audit, idnumber
from dixian_shared.auth.principal import Principal
from dixian_shared.pagination import PageParams
from monitoring_api.households import repository
from monitoring_api.privacy import ID_NUMBER_ROLES, mask_id_number


def _as_id_number(query: str) -> str | None:
    try:
        return idnumber.validate(query)
    except ValueError:
        return None


async def search(session: AsyncSession, principal: Principal, params: PageParams, query: str) -> list[dict[str, Any]]:
    """The people found (limit + 1 at most, for the pager), their ID numbers masked unless the role keeps them."""
    id_number = _as_id_number(query)
    name = None if id_number is not None else query.strip()
    rows = await repository.search_members(session, principal, params, id_number=id_number, name=name)
    shown = principal.role in ID_NUMBER_ROLES
    found = rows[: params.limit]
    changes = {"query": query, "member_ids": [r.member_id for r in found], "id_numbers_shown": shown}
    await audit.record(session, "member", "search", "search", changes)
    hits = [{**r._asdict(), "id_number_masked": not shown} for r in rows]
    if not shown:
        for hit in hits:
            hit["id_number"] = mask_id_number(hit["id_number"])
    return hits
