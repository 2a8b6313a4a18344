"""Two loans to one household racing for the last of its microcredit limit, each on its own connection with real
commits (monitoring-api and funds-api both running on their own pools): one is lent, the other is refused with the
rule named, and the household never owes more than the limit."""

import asyncio
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from conftest import VILLAGE
from dixian_shared.app import build_context
from dixian_shared.auth.api_keys import new_key
from dixian_shared.service_client import ServiceLink
from funds_api.app import create_app as create_funds
from funds_api.deps import get_today
from funds_api.models import COMMON as FUNDS_TABLES
from funds_api.registry import TRANSPORT_KEY
from funds_api.settings import FundsSettings
from monitoring_api.app import create_app as create_monitoring
from monitoring_api.models import COMMON as MONITORING_TABLES
from monitoring_api.settings import MonitoringSettings

from .funds_support import Tokens, person_id
from .helpers import until_waiting_on_locks

FUNDS = "funds.loan_installment, funds.loan_repayment, funds.loan_extension, funds.loan, funds.audit_log"
MONITORING = "monitoring.household, monitoring.audit_log, monitoring.outbox, monitoring.idempotency_key"
LOCK = "SELECT pg_advisory_lock(hashtext('funds.loan.household'), :id)"


@pytest.fixture
async def live(service_settings, engine: AsyncEngine) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:  # type: ignore[no-untyped-def]
    """monitoring-api and funds-api on their own pools, committing for real; their rows are removed afterwards."""
    key, prefix, secret_hash = new_key()
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO identity.api_key (prefix, secret_hash, name, role, region_code, scopes, active)"
                " VALUES (:prefix, :hash, 'funds-api', 'service', '360702000000', ARRAY['registry.read'], true)"
            ),
            {"prefix": prefix, "hash": secret_hash},
        )
    monitoring_settings = service_settings(MonitoringSettings)
    monitoring_ctx = build_context(monitoring_settings, MONITORING_TABLES)
    monitoring_app = create_monitoring(monitoring_settings, monitoring_ctx)
    funds_settings = service_settings(FundsSettings)
    funds_settings.monitoring = ServiceLink(url="http://monitoring", api_key=key)
    funds_ctx = build_context(funds_settings, FUNDS_TABLES)
    funds_ctx.extras[TRANSPORT_KEY] = httpx.ASGITransport(app=monitoring_app)
    funds_app = create_funds(funds_settings, funds_ctx)
    funds_app.dependency_overrides[get_today] = lambda: date(2024, 4, 1)
    try:
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=monitoring_app), base_url="http://m") as monitoring,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=funds_app), base_url="http://funds") as funds,
        ):
            yield monitoring, funds
    finally:
        for ctx in (funds_ctx, monitoring_ctx):
            await ctx.engine.dispose()
            await ctx.redis.aclose()
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {FUNDS}, {MONITORING} CASCADE"))
            await conn.execute(text("DELETE FROM identity.api_key WHERE prefix = :prefix"), {"prefix": prefix})


async def test_two_loans_race_for_the_last_of_a_households_limit(
    live: tuple[httpx.AsyncClient, httpx.AsyncClient], engine: AsyncEngine, token_for: Tokens
) -> None:
    monitoring, funds = live
    village = token_for("village", VILLAGE)
    number = person_id(date(1980, 1, 1))
    member = {"id_number": number, "name": "赖五", "relation": "户主", "labour_skill": "普通劳动力"}
    household = await monitoring.post(
        "/households",
        json={"region_code": VILLAGE, "head_name": "赖五", "category": "脱贫户", "members": [member]},
        headers=village,
    )
    assert household.status_code == 201, household.text

    def loan(contract: str) -> dict[str, object]:
        return {
            "borrower_id_number": number,
            "bank": "赣州农商银行",
            "contract_number": contract,
            "amount": "30000",
            "annual_rate": "0.0300",
            "term_months": 12,
            "loan_date": "2024-03-01",
            "purpose": "种植业",
        }

    # Hold the household's lock from a third connection so that both requests have read the registry and wait
    # inside their transactions before either may count what the household owes: a real race.
    async with engine.connect() as holder:
        await holder.execute(text(LOCK), {"id": household.json()["id"]})
        racers = asyncio.gather(
            funds.post("/loans", json=loan("RACE-1"), headers=village),
            funds.post("/loans", json=loan("RACE-2"), headers=village),
        )
        await until_waiting_on_locks(engine)
        await holder.execute(text("SELECT pg_advisory_unlock_all()"))
        responses = await racers

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 422], [r.text for r in responses]
    assert next(r for r in responses if r.status_code == 422).json()["rule"] == "microcredit-max-amount"
    async with engine.connect() as conn:
        owed = await conn.scalar(
            text("SELECT sum(amount) FROM funds.loan WHERE household_id = :id"), {"id": household.json()["id"]}
        )
    assert str(owed) == "30000.00"
