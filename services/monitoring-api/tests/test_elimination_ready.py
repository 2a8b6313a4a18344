"""GET /eliminations/ready: subjects meeting every precondition the data decides, by the preconditions' own
definition: each one listed opens, each one left out is refused."""

from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from conftest import DISTRICT, OTHER_VILLAGE, VILLAGE
from monitoring_api.elimination import ready
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings

from .test_elimination import _open, eligible
from .test_measure_helpers import Sessions, Tokens, set_today, worker

URL = "/eliminations/ready"


async def _ready(client: httpx.AsyncClient, headers: dict[str, str], **params: object) -> list[int]:
    response = await client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["household_id"] for item in response.json()["items"]]


async def test_ready_subjects_are_exactly_those_that_can_be_proposed(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2025, 9, 1))
    session = session_on(COMMON)
    first = await eligible(monitoring, token_for, session, risk_causes=["因病"])
    second = await eligible(monitoring, token_for, session)
    no_measure = await eligible(monitoring, token_for, session, measures=0)
    no_labour = await eligible(monitoring, token_for, session, members=[worker(labour_skill="丧失劳动力")])
    uninsured = await eligible(monitoring, token_for, session, members=[worker(medical_insured=False)])
    recent = await eligible(monitoring, token_for, session)
    await session.execute(update(Household).where(Household.id == recent).values(included_on=date(2025, 4, 1)))
    proposed = await eligible(monitoring, token_for, session)
    assert (await _open(monitoring, token_for, proposed)).status_code == 201
    eliminated = await eligible(monitoring, token_for, session)
    await session.execute(
        update(Household).where(Household.id == eliminated).values(risk_eliminated_on=date(2025, 8, 1))
    )
    theirs = await eligible(monitoring, token_for, session, region=OTHER_VILLAGE)

    village = token_for("village", VILLAGE)
    assert await _ready(monitoring, village) == [first, second]
    assert await _ready(monitoring, token_for("district", DISTRICT)) == [first, second, theirs]
    [item] = [i for i in (await monitoring.get(URL, headers=village)).json()["items"] if i["household_id"] == first]
    assert (item["category"], item["risk_causes"]) == ("脱贫不稳定户", ["因病"])
    assert item["evidence"]["delivered_measures"] == 1

    # The same definition as opening: each listed subject opens, each left out is refused.
    for household_id in (no_measure, no_labour, uninsured, recent):
        assert (await _open(monitoring, token_for, household_id)).status_code == 422
    assert (await _open(monitoring, token_for, first, clear_risk_causes=True)).status_code == 201
    assert (await _open(monitoring, token_for, second)).status_code == 201
    assert await _ready(monitoring, village) == []  # proposed now: in progress, no longer "to propose"

    # The rules are settings: with three months, the recent inclusion qualifies too.
    monitoring_app.state.ctx.settings.rules = RuleSettings(elimination_min_months=3)
    assert await _ready(monitoring, village) == [recent]


async def test_the_ready_list_pages_by_household_across_chunks_of_candidates(
    monitoring: httpx.AsyncClient,
    monitoring_app: FastAPI,
    token_for: Tokens,
    session_on: Sessions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ready, "CHUNK", 2)  # several rounds of candidates per page
    set_today(monitoring_app, date(2025, 9, 1))
    session = session_on(COMMON)
    ids = [await eligible(monitoring, token_for, session) for _ in range(3)]
    await eligible(monitoring, token_for, session, measures=0)  # between pages, never listed
    ids.append(await eligible(monitoring, token_for, session))
    headers = token_for("village", VILLAGE)
    first = (await monitoring.get(URL, params={"limit": 2}, headers=headers)).json()
    second = (await monitoring.get(URL, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers)).json()
    assert [i["household_id"] for i in first["items"]] == ids[:2]
    assert [i["household_id"] for i in second["items"]] == ids[2:]
    assert second["next_cursor"] is None
