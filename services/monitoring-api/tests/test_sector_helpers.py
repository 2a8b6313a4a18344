"""Builders shared by the sector tests: department API keys, registry households, batches pushed over HTTP."""

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, VILLAGE
from dixian_shared import idnumber
from dixian_shared.auth.api_keys import new_key
from dixian_shared.identity.models import ApiKey
from monitoring_api.households.models import Member
from monitoring_api.models import COMMON
from monitoring_api.rules import RuleSettings
from monitoring_api.sector.crosscheck import job as crosscheck
from monitoring_api.sector.enums import JobState
from monitoring_api.sector.models import Discrepancy

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]
TODAY = date(2024, 6, 15)
_serial = itertools.count(1)


def pid(birth: str = "19800101") -> str:
    """A valid resident ID number born on `birth` (YYYYMMDD), unique within the run."""
    return idnumber.make(f"360702{birth}{next(_serial) % 1000:03d}")


async def department_key(session_on: Sessions, *scopes: str, region_code: str = DISTRICT) -> dict[str, str]:
    """An API key row for a department system with these data types, and the header that sends it."""
    key, prefix, secret_hash = new_key()
    async with session_on(COMMON) as session:
        session.add(
            ApiKey(
                prefix=prefix,
                secret_hash=secret_hash,
                name="部门系统",
                role="department",
                region_code=region_code,
                scopes=list(scopes),
                active=True,
            )
        )
        await session.commit()
    return {"X-API-Key": key}


def person(id_number: str, **fields: Any) -> dict[str, Any]:
    return {"id_number": id_number, "name": "张三", "relation": "户主", "labour_skill": "普通劳动力", **fields}


async def add_household(
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    members: list[dict[str, Any]],
    *,
    category: str = "脱贫户",
    region_code: str = VILLAGE,
) -> dict[str, Any]:
    body = {"region_code": region_code, "head_name": "张三", "category": category, "members": members}
    response = await monitoring.post("/households", json=body, headers=token_for("district", DISTRICT))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def set_member_status(session_on: Sessions, id_number: str, status: str, on: date) -> None:
    async with session_on(COMMON) as session:
        await session.execute(update(Member).where(Member.id_number == id_number).values(status=status, status_date=on))
        await session.commit()


def csv_bytes(rows: Iterable[dict[str, Any]], encoding: str = "utf-8") -> bytes:
    rows = list(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def jsonl_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()


CSV = {"Content-Type": "text/csv; charset=utf-8"}


async def push(
    monitoring: httpx.AsyncClient,
    headers: dict[str, str],
    data_type: str,
    rows: list[dict[str, Any]],
    *,
    batch_ref: str | None = None,
    period: str = "2024-06",
) -> tuple[int, int]:
    """Open, upload one CSV part, close: (batch id, job id)."""
    body = {"data_type": data_type, "period": period, "department_batch_id": batch_ref or f"b-{next(_serial)}"}
    opened = await monitoring.post("/batches", json=body, headers=headers)
    assert opened.status_code in (200, 201), opened.text
    batch_id = opened.json()["id"]
    part = await monitoring.put(f"/batches/{batch_id}/parts/1", content=csv_bytes(rows), headers={**headers, **CSV})
    assert part.status_code in (200, 201), part.text
    closed = await monitoring.post(f"/batches/{batch_id}/close", headers=headers)
    assert closed.status_code in (200, 202), closed.text
    return batch_id, closed.json()["id"]


async def run_job(session_on: Sessions, batch_id: int, rules: RuleSettings | None = None) -> JobState | None:
    return await crosscheck.run(lambda: session_on(COMMON), batch_id, rules or RuleSettings())


async def discrepancies(session_on: Sessions, **where: Any) -> list[Discrepancy]:
    async with session_on(COMMON) as session:
        stmt = select(Discrepancy).filter_by(**where).order_by(Discrepancy.id)
        return list((await session.scalars(stmt)).all())


async def count_rows(session_on: Sessions, table: object, **where: object) -> int:
    async with session_on(COMMON) as session:
        stmt = select(func.count()).select_from(table).filter_by(**where)  # type: ignore[arg-type]
        return int(await session.scalar(stmt) or 0)


def enrolment(n: int) -> list[dict[str, str]]:
    return [{"id_number": pid("19900101"), "name": "李四", "scheme": "城乡居民基本医疗保险"} for _ in range(n)]


async def open_batch(monitoring: httpx.AsyncClient, headers: dict[str, str], ref: str = "MI-2024-06") -> httpx.Response:
    body = {"data_type": "medical_enrolment", "period": "2024-06", "department_batch_id": ref}
    return await monitoring.post("/batches", json=body, headers=headers)
