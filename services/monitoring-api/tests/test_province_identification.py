"""A subject the province identifies after its risk was marked eliminated here is at risk again; an identification
dated before the elimination leaves the mark."""

from datetime import date

import httpx
from sqlalchemy import update

from conftest import DISTRICT
from monitoring_api.households.models import Household
from monitoring_api.models import COMMON

from .test_measure_helpers import Sessions, Tokens, make_household
from .test_service_people import service_key

URL = "/service/province-updates"


async def test_a_new_identification_by_the_province_clears_the_elimination_mark(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    session = session_on(COMMON)
    hid = await make_household(monitoring, token_for, session, category="边缘易致贫户", included_on=date(2023, 6, 1))
    await session.execute(
        update(Household).where(Household.id == hid).values(risk_eliminated_on=date(2024, 3, 1), elimination_id=7)
    )
    key = await service_key(session_on, "province.sync")
    stale = {"seq": 1, "type": "subject_identified", "household_local_id": hid, "identified_on": "2023-06-01",
             "subject_kind": "边缘易致贫户", "risk_types": []}  # fmt: skip
    assert (await monitoring.post(URL, json=stale, headers=key)).json()["outcome"] == "unchanged"
    district = token_for("district", DISTRICT)
    assert (await monitoring.get(f"/households/{hid}", headers=district)).json()["risk_eliminated_on"] == "2024-03-01"

    renewed = {**stale, "seq": 2, "identified_on": "2024-09-01", "subject_kind": "突发严重困难户"}
    applied = await monitoring.post(URL, json={**renewed, "risk_types": ["因自然灾害"]}, headers=key)
    assert applied.json()["outcome"] == "applied", applied.text
    household = (await monitoring.get(f"/households/{hid}", headers=district)).json()
    assert (household["category"], household["included_on"]) == ("突发严重困难户", "2024-09-01")
    assert (household["risk_eliminated_on"], household["elimination_id"]) == (None, None)
