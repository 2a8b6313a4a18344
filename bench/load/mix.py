"""What the load does to each service: a mix of reads (a keyset list page, one record) and writes (a new record),
with bodies every service accepts. Each write makes a new record, so the reads reach rows written under load too."""

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dixian_shared import idnumber

VILLAGE = "360702191200"  # 谢岗村, where every record is written and read (a village user's own village)
_serial = itertools.count(1)


@dataclass
class Operation:
    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None


@dataclass
class ServiceMix:
    """One service's share of the load: `collection` is listed and written to; created ids are read back."""

    service: str
    collection: str
    new_body: Callable[[int], dict[str, Any]]
    ids: list[int] = field(default_factory=list)

    def next(self, rng: random.Random, write_share: float) -> Operation:
        roll = rng.random()
        if roll < write_share or not self.ids:
            return Operation("create", "POST", self.collection, self.new_body(next(_serial)))
        if roll < write_share + (1 - write_share) / 2:
            return Operation("list", "GET", f"{self.collection}?region_code={VILLAGE}&limit=50")
        return Operation("read", "GET", f"{self.collection}/{rng.choice(self.ids)}")


def _resident_id(n: int) -> str:
    """A valid, unique resident ID number: 1,000 serials a birth day, one birth day after another from 1960."""
    born = date(1960, 1, 1) + timedelta(days=n // 1000)
    return idnumber.make(f"360702{born:%Y%m%d}{n % 1000:03d}")


def household(n: int) -> dict[str, Any]:
    return {
        "region_code": VILLAGE,
        "head_name": f"压测{n}",
        "category": "一般农户",
        "address": f"谢岗村{n}号",
        "members": [
            {"name": f"压测{n}", "relation": "户主", "labour_skill": "普通劳动力", "id_number": _resident_id(n)}
        ],
    }


_CREDIT = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def entity(n: int) -> dict[str, Any]:
    code = "".join(_CREDIT[(n // len(_CREDIT) ** i) % len(_CREDIT)] for i in range(8))
    return {
        "name": f"压测合作社{n}",
        "kind": "农民合作社",
        "credit_code": f"9136070200{code}",
        "region_code": VILLAGE,
        "established_on": "2020-05-01",
    }


def position(n: int) -> dict[str, Any]:
    return {
        "kind": "公益性岗位",
        "name": f"保洁员{n}",
        "region_code": VILLAGE,
        "employer": "谢岗村村委会",
        "monthly_pay": "800.00",
        "opened_on": "2026-01-01",
    }


def mixes() -> list[ServiceMix]:
    return [
        ServiceMix("monitoring-api", "/households", household),
        ServiceMix("funds-api", "/entities", entity),
        ServiceMix("employment-api", "/positions", position),
    ]
