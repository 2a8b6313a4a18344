"""Shared steps of the inclusion-case tests: dates counted from the clue, step bodies, the actors and their tokens."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_TOWN_VILLAGE, VILLAGE
from monitoring_api.inclusion.models import CaseStep

from .helpers import household

Tokens = Callable[..., dict[str, str]]
OTHER_TOWN = OTHER_TOWN_VILLAGE[:9] + "000"
CLUE = date(2024, 5, 1)


@dataclass
class Clock:
    today: date


def day(offset: int) -> str:
    return (CLUE + timedelta(days=offset)).isoformat()


def verification(offset: int = 1, **kw: object) -> dict[str, object]:
    body = {
        "step": "入户核实",
        "taken_on": day(offset),
        "authorisation_signed": True,
        "authorisation_date": day(offset),
    }
    return {**body, "note": "收入低于监测范围", **kw}


def notice(start: int = 2, end: int = 6, **kw: object) -> dict[str, object]:
    return {"step": "民主评议/公示", "taken_on": day(start), "notice_start": day(start), "notice_end": day(end), **kw}


def town_review(offset: int = 7, agree: bool = True, **kw: object) -> dict[str, object]:
    return {"step": "乡镇审核", "taken_on": day(offset), "agree": agree, "opinion": "情况属实", **kw}


def approval(offset: int = 8, decision: str = "纳入", **kw: object) -> dict[str, object]:
    return {"step": "区级审定", "taken_on": day(offset), "decision": decision, "subject_kind": "边缘易致贫户", **kw}


async def new_household(monitoring: httpx.AsyncClient, token_for: Tokens, region: str = VILLAGE, **kw: object) -> int:
    headers = token_for("district", DISTRICT)
    response = await monitoring.post("/households", json=household(region, **kw), headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def open_case(
    monitoring: httpx.AsyncClient, token_for: Tokens, region: str = VILLAGE, clue: date = CLUE, **kw: object
) -> dict:  # type: ignore[type-arg]
    hid = await new_household(monitoring, token_for, region)
    body = {
        "household_id": hid,
        "channel": "农户自主申报",
        "clue_date": clue.isoformat(),
        "clue_note": "本人申请",
        **kw,
    }
    response = await monitoring.post("/inclusion-cases", json=body, headers=token_for("village", region))
    assert response.status_code == 201, response.text
    return dict(response.json())


class Actors:
    def __init__(self, token_for: Tokens, region: str = VILLAGE) -> None:
        self.village = token_for("village", region, subject="11", name="村信息员")
        self.town = token_for("town", region[:9] + "000", subject="22", name="镇审核员")
        self.district = token_for("district", DISTRICT, subject="33", name="区农办")


async def step(monitoring: httpx.AsyncClient, case_id: int, body: dict, headers: dict[str, str]) -> httpx.Response:  # type: ignore[type-arg]
    return await monitoring.post(f"/inclusion-cases/{case_id}/steps", json=body, headers=headers)


async def steps_of(session: AsyncSession, case_id: int) -> int:
    stmt = select(func.count()).select_from(CaseStep).where(CaseStep.case_id == case_id)
    return await session.scalar(stmt)  # type: ignore[return-value]


async def verified(monitoring: httpx.AsyncClient, token_for: Tokens) -> dict:  # type: ignore[type-arg]
    case = await open_case(monitoring, token_for)
    assert (await step(monitoring, case["id"], verification(), Actors(token_for).village)).status_code == 201
    return case


async def reviewed(monitoring: httpx.AsyncClient, token_for: Tokens) -> dict:  # type: ignore[type-arg]
    case = await verified(monitoring, token_for)
    who = Actors(token_for)
    assert (await step(monitoring, case["id"], notice(), who.village)).status_code == 201
    assert (await step(monitoring, case["id"], town_review(), who.town)).status_code == 201
    return case
