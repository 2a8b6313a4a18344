"""GET /service/records/{entity} (the records the worker pushes to the province) and POST /service/province-updates."""

from datetime import date

import httpx
from fastapi import FastAPI

from conftest import DISTRICT, VILLAGE
from monitoring_api.models import COMMON

from .test_assessment_overdue import assess
from .test_assessments import new_household
from .test_measure_helpers import Sessions, Tokens, make_household, set_today
from .test_measures import measure
from .test_service_people import service_key
from .test_visits import FINDINGS


async def test_every_pushed_entity_is_read_as_its_own_api_reads_it(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens, session_on: Sessions
) -> None:
    set_today(monitoring_app, date(2024, 6, 20))
    hid = await make_household(monitoring, token_for, session_on(COMMON))
    ordinary = await new_household(monitoring, token_for, category="一般农户")
    village = token_for("village", VILLAGE)
    district = token_for("district", DISTRICT)
    created = {
        "household": hid,
        "assessment": await assess(monitoring, token_for, hid, "2024-06", "持续关注"),
        "measure": (await monitoring.post(f"/households/{hid}/measures", json=measure(), headers=village)).json()["id"],
        "visit": (
            await monitoring.post(
                f"/households/{hid}/visits",
                json={"visited_on": "2024-06-01", "cadre": "王干部", **FINDINGS},
                headers=village,
            )
        ).json()["id"],
    }
    case = {"household_id": ordinary, "channel": "干部排查", "clue_date": "2024-06-10"}
    created["inclusion_case"] = (await monitoring.post("/inclusion-cases", json=case, headers=village)).json()["id"]
    detail = (await monitoring.get(f"/households/{hid}", headers=district)).json()
    created["member"] = detail["members"][0]["id"]
    key = await service_key(session_on, "registry.read")
    for entity, record_id in created.items():
        response = await monitoring.get(f"/service/records/{entity}", params={"ids": [record_id, 999_999]}, headers=key)
        assert response.status_code == 200, (entity, response.text)
        body = response.json()
        assert [r["id"] for r in body["records"]] == [record_id] and body["missing"] == [999_999]
        assert body["records"][0]["region_code"] == VILLAGE and body["records"][0]["data"]["id"] == record_id
    assert (await monitoring.get("/service/records/income", params={"ids": [1]}, headers=key)).status_code == 422
    assert (
        await monitoring.get("/service/records/household", params={"ids": [hid]}, headers=village)
    ).status_code == 403
    writer = await service_key(session_on, "registry.read")
    update = {"seq": 1, "type": "subject_identified", "household_local_id": hid, "identified_on": "2024-03-01",
              "subject_kind": "边缘易致贫户", "risk_types": ["因病"]}  # fmt: skip
    # Reading the registry does not allow writing the province's changes into it.
    assert (await monitoring.post("/service/province-updates", json=update, headers=writer)).status_code == 403
