"""The read path as deployed (the app on its own pool, not the tests' shared connection): a GET runs without
BEGIN/COMMIT round trips, a write keeps its transaction, and what a read writes — the audit row of a full record
read — is committed all the same; the rows read are those the ORM path read, with lists still masked."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conftest import VILLAGE
from dixian_shared import idnumber
from monitoring_api.app import create_app
from monitoring_api.settings import MonitoringSettings


@pytest.fixture
async def live(
    service_settings: Callable[[type[MonitoringSettings]], MonitoringSettings],
) -> AsyncIterator[tuple[httpx.AsyncClient, list[tuple[str, bool]]]]:
    """monitoring-api on its own pool, recording for every statement whether it ran inside a transaction: those
    SQLAlchemy executes (before they run) and those sent on the driver connection itself — prepared hot reads, the
    audit insert, BEGIN and COMMIT — through asyncpg's query logger (after they ran)."""
    app = create_app(service_settings(MonitoringSettings))
    seen: list[tuple[str, bool]] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        raw = conn.connection.dbapi_connection._connection  # the asyncpg connection under SQLAlchemy's adapter
        seen.append((statement.split()[0].upper(), raw.is_in_transaction()))

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        driver = dbapi_connection._connection

        def logged(query: Any) -> None:
            seen.append((query.query.split()[0].rstrip(";").upper(), driver.is_in_transaction()))

        driver.add_query_logger(logged)

    event.listen(app.state.ctx.engine.sync_engine, "before_cursor_execute", before)
    event.listen(app.state.ctx.engine.sync_engine.pool, "connect", on_connect)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://monitoring", timeout=30) as client:
        yield client, seen
    await app.state.ctx.engine.dispose()


async def test_reads_skip_begin_and_commit_writes_keep_them_and_a_full_read_is_audited(
    live: tuple[httpx.AsyncClient, list[tuple[str, bool]]],
    committed: async_sessionmaker[AsyncSession],
    token_for: Callable[..., dict[str, str]],
) -> None:
    client, seen = live
    headers = token_for("village", VILLAGE)
    body = {
        "region_code": VILLAGE,
        "head_name": "张三",
        "category": "一般农户",
        "phone": "13900001234",
        "members": [
            {"id_number": idnumber.make("36070219800101123"), "name": "张三", "relation": "户主",
             "labour_skill": "普通劳动力", "phone": "13900001234"},
        ],
    }  # fmt: skip
    assert (await client.get("/households", headers=headers)).status_code == 200  # the pool's first connection made
    seen.clear()
    created = await client.post("/households", json=body, headers=headers)
    assert created.status_code == 201, created.text
    household_id = created.json()["id"]
    writes = [(kind, inside) for kind, inside in seen if kind not in ("BEGIN", "COMMIT")]
    # The adapter sends BEGIN just after the hook sees a transaction's first statement; every later one is inside.
    assert [kind for kind, _ in seen].count("BEGIN") == 1 and seen[-1] == ("COMMIT", False)
    assert len(writes) > 3 and all(in_transaction for _, in_transaction in writes[1:])

    seen.clear()
    detail = await client.get(f"/households/{household_id}", headers=headers)
    assert detail.status_code == 200 and detail.headers["ETag"] == '"1"'
    assert detail.json()["members"][0]["id_number"] == body["members"][0]["id_number"]  # a village user: in full
    listed = await client.get(f"/households?region_code={VILLAGE}", headers=headers)
    assert listed.status_code == 200
    item = listed.json()["items"][0]
    assert item["id"] == household_id and item["phone"] == "139****1234"  # lists stay masked
    assert [kind for kind, _ in seen] == ["SELECT", "SELECT", "INSERT", "SELECT"]  # no BEGIN, no COMMIT
    assert not any(in_transaction for _, in_transaction in seen)

    async with committed() as session:  # the full read's audit row, committed without a transaction around it
        reads = await session.scalar(
            text(
                "SELECT count(*) FROM monitoring.audit_log WHERE entity = 'household' AND entity_id = :id "
                "AND action = 'read'"
            ),
            {"id": str(household_id)},
        )
    assert reads == 1
    outside = await client.get(f"/households/{household_id}", headers=token_for("village", "360702191201"))
    assert outside.status_code == 404  # scoping is still in the query
