"""Key-group members (八类重点人群) not screened this month: no 研判 for the month; scoped, keyset-paginated."""

from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI

from conftest import DISTRICT, OTHER_VILLAGE, TOWN, VILLAGE

from .helpers import member
from .test_assessments import assessment, new_household
from .test_measure_helpers import Tokens, set_today

URL = "/key-groups/unscreened"


async def _assess(client: httpx.AsyncClient, tokens: Tokens, household_id: int, month: str, region: str) -> None:
    body = assessment(
        household_id, month=month, outcome="无风险", risk_causes=[], reasons=None, assessed_on=f"{month}-05"
    )
    response = await client.post("/assessments", json=body, headers=tokens("village", region))
    assert response.status_code == 201, response.text


async def _ids(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[int]:
    response = await client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["household_id"] for item in response.json()["items"]]


async def test_key_group_members_without_a_screening_this_month_are_listed(
    monitoring: httpx.AsyncClient, monitoring_app: FastAPI, token_for: Tokens
) -> None:
    set_today(monitoring_app, date(2024, 6, 15))
    lifted = await new_household(monitoring, token_for, category="脱贫户")
    screened = await new_household(monitoring, token_for, category="脱贫户")
    dibao = await new_household(monitoring, token_for, category="一般农户", members=[member(dibao=True)])
    await new_household(monitoring, token_for, category="一般农户")  # in no key group
    last_month_only = await new_household(monitoring, token_for, category="脱贫不稳定户")
    elsewhere = await new_household(monitoring, token_for, region=OTHER_VILLAGE, category="脱贫户")
    await _assess(monitoring, token_for, screened, "2024-06", VILLAGE)
    await _assess(monitoring, token_for, last_month_only, "2024-05", VILLAGE)

    village = token_for("village", VILLAGE)
    assert await _ids(monitoring, village) == [lifted, dibao, last_month_only]
    response = await monitoring.get(URL, headers=village)
    items = {item["household_id"]: item for item in response.json()["items"]}
    assert items[dibao]["key_groups"] == ["农村低保对象和分散供养特困人员"]
    assert items[lifted]["key_groups"] == ["脱贫户"]
    assert response.json()["items"][0]["month"] == "2024-06-01"
    assert await _ids(monitoring, village, month="2024-05") == [lifted, screened, dibao]
    assert await _ids(monitoring, token_for("town", TOWN)) == [lifted, dibao, last_month_only, elsewhere]
    assert await _ids(monitoring, token_for("district", DISTRICT), region_code=OTHER_VILLAGE) == [elsewhere]
    assert await _ids(monitoring, village, key_group="农村低保对象和分散供养特困人员") == [dibao]

    first = (await monitoring.get(URL, params={"limit": 2}, headers=village)).json()
    second = (await monitoring.get(URL, params={"limit": 2, "cursor": first["next_cursor"]}, headers=village)).json()
    assert [i["household_id"] for i in first["items"] + second["items"]] == [lifted, dibao, last_month_only]
    assert second["next_cursor"] is None
    bad = await monitoring.get(URL, params={"month": "2024-13"}, headers=village)
    assert bad.status_code == 422
    assert (await monitoring.get(URL, headers=token_for("cadre", VILLAGE))).status_code == 403
