"""Subjects ready to be proposed for risk elimination: every precondition the data decides is met.

The preconditions are evaluated by their one definition (preconditions.evaluate_facts) on facts gathered in bulk,
chunk by chunk of candidates in id order, until a page is full; the cursor is the last household listed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal
from dixian_shared.pagination import PageParams, encode_cursor
from monitoring_api.elimination import repository
from monitoring_api.elimination.preconditions import Evaluation, evaluate_facts
from monitoring_api.households.models import Household
from monitoring_api.rules import RuleSettings

CHUNK = 200  # candidates read and evaluated per round: five set-based queries each


@dataclass(frozen=True)
class Ready:
    household: Household
    evaluation: Evaluation


async def ready_to_propose(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    rules: RuleSettings,
    today: date,
    region_code: str | None = None,
) -> Sequence[Ready]:
    """Up to limit + 1 ready subjects after the cursor (the extra one tells make_page there is a next page)."""
    found: list[Ready] = []
    cursor = params.cursor
    while True:
        chunk = await repository.subjects_at_risk(
            session, principal, PageParams(limit=CHUNK, cursor=cursor), region_code=region_code
        )
        candidates = chunk[:CHUNK]
        facts = await repository.facts_for(session, candidates, rules, today)
        for household in candidates:
            evaluation = evaluate_facts(facts[household.id], rules)
            if not evaluation.failures:
                found.append(Ready(household, evaluation))
                if len(found) > params.limit:
                    return found
        if len(chunk) <= CHUNK:
            return found
        cursor = encode_cursor([candidates[-1].id])
