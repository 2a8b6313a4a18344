"""Builders for the tests of positions, the 131 service, training and subsidies (no tests here).

Labourers come from the roster's sync with monitoring-api; these tests put them in the table directly.
"""

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import VILLAGE
from dixian_shared import idnumber
from employment_api.deps import get_today
from employment_api.models import COMMON
from employment_api.roster.models import Labourer

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]

_serial = itertools.count(1)


def set_today(app: FastAPI, day: date) -> None:
    app.dependency_overrides[get_today] = lambda: day


async def make_labourer(session: AsyncSession, region: str = VILLAGE, **fields: Any) -> int:
    serial = next(_serial)
    values: dict[str, Any] = {
        "member_id": 10_000 + serial,
        "household_id": 20_000 + serial,
        "region_code": region,
        "id_number": idnumber.make(f"36070219900101{serial % 1000:03d}"),
        "name": f"劳动力{serial}",
        "sex": "男",
        "birth_date": date(1990, 1, 1),
        "labour_skill": "普通劳动力",
        "household_category": "脱贫户",
        "member_status": "正常",
        "household_status": "正常",
        "qualifies": True,
        "observed_at": datetime(2026, 1, 1, tzinfo=UTC),
        **fields,
    }
    labourer = Labourer(**values)
    session.add(labourer)
    await session.flush()
    return labourer.id


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def audited(session: AsyncSession, entity: str) -> list[str]:
    audit = COMMON.audit_log
    rows = await session.execute(select(audit.c.action).where(audit.c.entity == entity).order_by(audit.c.id))
    return [r.action for r in rows]
