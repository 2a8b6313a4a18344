"""GET /service/people/{id_number}: what a sibling service with the registry.read scope may read, and nobody else."""

import httpx

from conftest import DISTRICT, VILLAGE
from dixian_shared.auth.api_keys import new_key
from dixian_shared.identity.models import ApiKey
from monitoring_api.models import COMMON

from .helpers import household, member, person_id
from .test_measure_helpers import Sessions, Tokens


async def service_key(session_on: Sessions, *scopes: str) -> dict[str, str]:
    key, prefix, secret_hash = new_key()
    async with session_on(COMMON) as session:
        session.add(
            ApiKey(
                prefix=prefix,
                secret_hash=secret_hash,
                name="funds-api",
                role="service",
                region_code=DISTRICT,
                scopes=list(scopes),
            )
        )
        await session.commit()
    return {"X-API-Key": key}


async def test_a_service_key_reads_a_person_with_household_category_village_and_status(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    number = person_id("19700101")
    created = await monitoring.post(
        "/households",
        json=household(VILLAGE, [member(id_number=number, name="王五")], category="边缘易致贫户"),
        headers=token_for("village", VILLAGE),
    )
    assert created.status_code == 201, created.text
    headers = await service_key(session_on, "registry.read")

    found = await monitoring.get(f"/service/people/{number.lower()}", headers=headers)
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["name"] == "王五"
    assert body["household_category"] == "边缘易致贫户"
    assert body["region_code"] == VILLAGE
    assert body["member_status"] == "正常"
    assert body["household_id"] == created.json()["id"]

    member_id = body["member_id"]
    read = await monitoring.get(f"/members/{member_id}", headers=token_for("village", VILLAGE))
    died = await monitoring.post(
        f"/members/{member_id}/death",
        json={"died_on": "2024-03-01"},
        headers={**token_for("village", VILLAGE), "If-Match": read.headers["ETag"]},
    )
    assert died.status_code == 200, died.text
    after = (await monitoring.get(f"/service/people/{number}", headers=headers)).json()
    assert (after["member_status"], after["status_date"]) == ("死亡", "2024-03-01")

    unknown = await monitoring.get(f"/service/people/{person_id('19700101')}", headers=headers)
    assert unknown.status_code == 404
    bad_check = number[:17] + ("0" if number[17] != "0" else "1")
    assert (await monitoring.get(f"/service/people/{bad_check}", headers=headers)).status_code == 422


async def test_other_keys_and_non_district_users_may_not_read_people(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    number = person_id()
    await monitoring.post(
        "/households", json=household(VILLAGE, [member(id_number=number)]), headers=token_for("village", VILLAGE)
    )
    deadlines_only = await service_key(session_on, "deadlines")
    assert (await monitoring.get(f"/service/people/{number}", headers=deadlines_only)).status_code == 403
    village = token_for("village", VILLAGE)
    assert (await monitoring.get(f"/service/people/{number}", headers=village)).status_code == 403
    district = token_for("district", DISTRICT)
    assert (await monitoring.get(f"/service/people/{number}", headers=district)).status_code == 200
