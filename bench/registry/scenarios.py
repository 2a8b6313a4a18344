"""What is measured: household detail and scoped keyset lists, for a district user and a village user.

Paths are fixed before the run (seeded ids; cursors made from the ids a page ends on, in the API's own format), so
both servers get exactly the same requests.
"""

import random
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from dixian_shared.pagination import encode_cursor

DISTRICT = "360702000000"  # 赣州蓉江新区
TOWN = "360702191000"  # 潭口镇
VILLAGE = "360702191200"  # 谢岗村
PAGE = 50


@dataclass
class Scenario:
    name: str
    user: str  # key into the tokens
    paths: list[str]


@dataclass
class Plan:
    scenarios: list[Scenario]
    outside_village: str  # a household the village user must not see


def _pages(keys: list[tuple[str, int]], region_code: str) -> list[str]:
    """The first page and one path per following page, each starting after the (village, id) a page ends on."""
    first = f"/households?region_code={region_code}&limit={PAGE}"
    return [first] + [f"{first}&cursor={encode_cursor(list(keys[end - 1]))}" for end in range(PAGE, len(keys), PAGE)]


async def build(url: str, *, seed: int, sample: int) -> Plan:
    rng = random.Random(f"registry-bench:{seed}")
    conn = await asyncpg.connect(url)
    try:
        low, high = await conn.fetchrow("SELECT min(id), max(id) FROM monitoring.household")
        village_keys = [(r["region_code"], r["id"]) for r in await conn.fetch(
            "SELECT region_code, id FROM monitoring.household WHERE region_code = $1 ORDER BY region_code, id", VILLAGE
        )]  # fmt: skip
        town_keys = [(r["region_code"], r["id"]) for r in await conn.fetch(
            "SELECT region_code, id FROM monitoring.household WHERE region_code >= $1 AND region_code < $2"
            " ORDER BY region_code, id",
            TOWN[:9], str(int(TOWN[:9]) + 1),
        )]  # fmt: skip
        village_ids = [key[1] for key in village_keys]
        town_ids = [key[1] for key in town_keys]
    finally:
        await conn.close()
    town_pages = _pages(town_keys, TOWN)
    village_pages = _pages(village_keys, VILLAGE)
    in_village = set(village_ids)
    outside = next(i for i in town_ids if i not in in_village)
    scenarios = [
        Scenario(
            "detail · district user", "district", [f"/households/{rng.randint(low, high)}" for _ in range(sample)]
        ),
        Scenario("detail · village user", "village", [f"/households/{rng.choice(village_ids)}" for _ in range(sample)]),
        Scenario("list · district user, one town", "district", rng.sample(town_pages, min(sample, len(town_pages)))),
        Scenario("list · village user, own village", "village", rng.sample(village_pages, len(village_pages))),
    ]
    return Plan(scenarios, f"/households/{outside}")


def _essence(path: str, body: Any) -> Any:
    """The part of a response both servers must agree on."""
    if path.startswith("/households?"):
        return [item["id"] for item in body["items"]], body["next_cursor"]
    return body["id"], body["region_code"], body["version"], sorted(m["id_number"] for m in body["members"])


def check_equivalent(real: str, bare: str, tokens: dict[str, str], plan: Plan) -> int:
    """Both servers answer the first paths of every scenario with the same rows; raise if not. Returns paths checked."""
    checked = 0
    for scenario in plan.scenarios:
        headers = {"Authorization": f"Bearer {tokens[scenario.user]}"}
        for path in scenario.paths[:5]:
            answers = []
            for base in (real, bare):
                response = httpx.get(base + path, headers=headers, timeout=10.0)
                response.raise_for_status()
                answers.append(_essence(path, response.json()))
            if answers[0] != answers[1]:
                raise AssertionError(f"{path}: monitoring-api and the bare app disagree: {answers}")
            checked += 1
    # Scoping is part of the work: a village user asking for a household elsewhere gets 404 from both.
    headers = {"Authorization": f"Bearer {tokens['village']}"}
    statuses = [
        httpx.get(base + plan.outside_village, headers=headers, timeout=10.0).status_code for base in (real, bare)
    ]
    if statuses != [404, 404]:
        raise AssertionError(f"{plan.outside_village} for a village user: expected 404 from both, got {statuses}")
    return checked + 1
