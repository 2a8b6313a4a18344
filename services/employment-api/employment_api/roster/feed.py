"""Reading members from monitoring-api's feed (GET /service/members) with the service key in the monitoring link."""

from collections.abc import AsyncIterator

import httpx

from dixian_shared.contracts import RegistryMemberPage
from employment_api.rules import RuleSettings

PAGE = 500
Query = dict[str, str | int | list[str]]  # what GET /service/members takes


async def _page(client: httpx.AsyncClient, params: Query) -> RegistryMemberPage:
    response = await client.get("/service/members", params=params)
    response.raise_for_status()  # an unreachable or refusing monitoring-api makes the actor retry
    return RegistryMemberPage.model_validate(response.json())


async def pages(client: httpx.AsyncClient, params: Query) -> AsyncIterator[RegistryMemberPage]:
    cursor: str | None = None
    while True:
        page = await _page(client, {**params, "limit": PAGE} | ({"cursor": cursor} if cursor else {}))
        yield page
        if not (cursor := page.next_cursor):
            return


def for_event(entity: str, entity_id: int) -> Query | None:
    """What to read for an event: the member, or every member of the household (category, move, import)."""
    if entity == "member":
        return {"member_id": entity_id}
    if entity == "household":
        return {"household_id": entity_id}
    return None


def for_backfill(rules: RuleSettings) -> Query:
    """Only who can be on the roster: an existing registry holds many more members than labourers."""
    return {
        "category": list(rules.roster_categories),
        "labour_skill": list(rules.roster_labour_skills),
        "active_only": "true",
    }
