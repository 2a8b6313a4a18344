"""The batch protocol over HTTP: open → parts → close, resends, scopes; how a part is read is in
test_sector_part_reading.py."""

import gzip
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.models import COMMON
from monitoring_api.sector.models import Batch, CrosscheckJob, staged_row

from .test_sector_helpers import (
    CSV,
    TODAY,
    count_rows,
    csv_bytes,
    department_key,
    enrolment,
    jsonl_bytes,
    open_batch,
    pid,
    push,
)

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]


@pytest.fixture(autouse=True)
def fixed_today(monitoring_app: FastAPI) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY


async def test_a_batch_in_two_parts_is_staged_and_closed_once(
    monitoring: httpx.AsyncClient, session_on: Sessions
) -> None:
    key = await department_key(session_on, "medical_enrolment", "medical_claim")
    opened = await open_batch(monitoring, key)
    assert opened.status_code == 201, opened.text
    batch = opened.json()
    assert batch["department"] == "区医保分中心"
    assert batch["state"] == "接收中"
    assert opened.headers["Location"] == f"/batches/{batch['id']}"

    rows = enrolment(5)
    first = await monitoring.put(f"/batches/{batch['id']}/parts/1", content=csv_bytes(rows[:3]), headers={**key, **CSV})
    assert first.status_code == 201, first.text
    assert first.json()["rows_accepted"] == 3
    second = await monitoring.put(
        f"/batches/{batch['id']}/parts/2",
        content=jsonl_bytes(rows[3:]),
        headers={**key, "Content-Type": "application/x-ndjson"},
    )
    assert second.status_code == 201, second.text
    assert second.json()["format"] == "jsonl"

    closed = await monitoring.post(f"/batches/{batch['id']}/close", headers=key)
    assert closed.status_code == 202, closed.text
    job = closed.json()
    assert job["state"] == "排队中"
    assert job["rows_loaded"] == 5
    assert closed.headers["Location"] == f"/crosscheck-jobs/{job['id']}"

    again = await monitoring.post(f"/batches/{batch['id']}/close", headers=key)
    assert again.status_code == 200
    assert again.json()["id"] == job["id"]
    assert await count_rows(session_on, CrosscheckJob) == 1
    outbox = COMMON.outbox
    async with session_on(COMMON) as session:
        payloads = (
            await session.scalars(select(outbox.c.payload).where(outbox.c.actor_name == "monitoring.crosscheck_batch"))
        ).all()
    assert payloads == [{"batch_id": batch["id"]}]

    detail = (await monitoring.get(f"/batches/{batch['id']}", headers=key)).json()
    assert detail["state"] == "已关闭"
    assert detail["as_of"] == TODAY.isoformat()
    assert [p["rows_accepted"] for p in detail["parts"]] == [3, 2]
    assert detail["job"]["id"] == job["id"]
    assert (await monitoring.get(f"/crosscheck-jobs/{job['id']}", headers=key)).json()["rows_loaded"] == 5

    late = await monitoring.put(f"/batches/{batch['id']}/parts/3", content=csv_bytes(rows), headers={**key, **CSV})
    assert late.status_code == 409
    assert await count_rows(session_on, staged_row, batch_id=batch["id"]) == 5


async def test_opening_the_same_department_batch_id_again_returns_the_same_batch(
    monitoring: httpx.AsyncClient, session_on: Sessions
) -> None:
    key = await department_key(session_on, "medical_enrolment", "medical_claim")
    first = await open_batch(monitoring, key)
    again = await open_batch(monitoring, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other_type = {"data_type": "medical_claim", "period": "2024-06", "department_batch_id": "MI-2024-06"}
    reused = await monitoring.post("/batches", json=other_type, headers=key)
    assert reused.status_code == 409
    assert reused.json()["type"].endswith("/batch-id-reused")
    assert await count_rows(session_on, Batch) == 1


async def test_a_resent_part_changes_nothing_and_other_content_under_its_number_is_refused(
    monitoring: httpx.AsyncClient, session_on: Sessions
) -> None:
    key = await department_key(session_on, "medical_enrolment")
    batch_id = (await open_batch(monitoring, key)).json()["id"]
    content = csv_bytes(enrolment(4))
    url = f"/batches/{batch_id}/parts/1"
    first = await monitoring.put(url, content=content, headers={**key, **CSV})
    resent = await monitoring.put(url, content=content, headers={**key, **CSV})
    zipped = await monitoring.put(
        url, content=gzip.compress(content), headers={**key, **CSV, "Content-Encoding": "gzip"}
    )
    assert (first.status_code, resent.status_code, zipped.status_code) == (201, 200, 200)
    assert resent.json() == first.json()
    changed = await monitoring.put(url, content=csv_bytes(enrolment(4)), headers={**key, **CSV})
    assert changed.status_code == 409
    assert changed.json()["type"].endswith("/part-conflict")
    assert await count_rows(session_on, staged_row, batch_id=batch_id) == 4


async def test_a_department_key_cannot_push_another_departments_data_type(
    monitoring: httpx.AsyncClient, session_on: Sessions, token_for: Tokens
) -> None:
    medical = await department_key(session_on, "medical_enrolment", "medical_claim")
    body = {"data_type": "education_enrolment", "period": "2024-06", "department_batch_id": "EDU-1"}
    refused = await monitoring.post("/batches", json=body, headers=medical)
    assert refused.status_code == 403
    assert "education_enrolment" in refused.json()["detail"]
    assert await count_rows(session_on, Batch) == 0

    education = await department_key(session_on, "education_enrolment")
    batch_id = (await monitoring.post("/batches", json=body, headers=education)).json()["id"]
    row = [{"id_number": pid("20140101"), "stage": "小学"}]
    for method, url, kwargs in (
        ("GET", f"/batches/{batch_id}", {}),
        ("PUT", f"/batches/{batch_id}/parts/1", {"content": csv_bytes(row), "headers": {**medical, **CSV}}),
        ("POST", f"/batches/{batch_id}/close", {}),
    ):
        kwargs.setdefault("headers", medical)
        response = await monitoring.request(method, url, **kwargs)
        assert response.status_code == 404, (method, url, response.text)
    listing = await monitoring.get("/batches", headers=medical)
    assert listing.json()["items"] == []
    assert [b["id"] for b in (await monitoring.get("/batches", headers=education)).json()["items"]] == [batch_id]

    assert (await monitoring.post("/batches", json=body, headers=token_for("village", VILLAGE))).status_code == 403
    person = await monitoring.post("/batches", json=body, headers=token_for("department", DISTRICT))
    assert person.status_code == 403
    assert person.json()["type"].endswith("/department-user")
    assert (await monitoring.get("/batches", headers=token_for("district", DISTRICT))).status_code == 200


async def test_an_empty_batch_cannot_be_closed(monitoring: httpx.AsyncClient, session_on: Sessions) -> None:
    key = await department_key(session_on, "medical_enrolment")
    batch_id = (await open_batch(monitoring, key)).json()["id"]
    only_bad = [{"id_number": "123", "scheme": "城乡居民基本医疗保险"}]
    await monitoring.put(f"/batches/{batch_id}/parts/1", content=csv_bytes(only_bad), headers={**key, **CSV})
    response = await monitoring.post(f"/batches/{batch_id}/close", headers=key)
    assert response.status_code == 422
    assert response.json()["rule"] == "batch_not_empty"
    assert await count_rows(session_on, CrosscheckJob) == 0
    assert (await monitoring.get(f"/batches/{batch_id}", headers=key)).json()["state"] == "接收中"


async def test_push_helper_round_trip(monitoring: httpx.AsyncClient, session_on: Sessions) -> None:
    key = await department_key(session_on, "dibao_roll")
    batch_id, job_id = await push(monitoring, key, "dibao_roll", [{"id_number": pid(), "since": "2020-01-01"}])
    assert (await monitoring.get(f"/crosscheck-jobs/{job_id}", headers=key)).json()["batch_id"] == batch_id
