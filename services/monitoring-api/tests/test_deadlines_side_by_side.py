"""GET /deadlines with its rules side by side on several connections (the default): the same report over HTTP as
one rule after another on one connection. On committed data and apps with their own pools, since the report's
connections must see the data (the rolled-back tests' app runs the rules in the test's one transaction)."""

from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conftest import DISTRICT, VILLAGE
from dixian_shared.admin import create_api_key
from dixian_shared.auth.principal import Role
from dixian_shared.settings import ServiceSettings
from monitoring_api.app import create_app
from monitoring_api.settings import DeadlineSettings, MonitoringSettings

ON = date(2024, 7, 10)

# One household per rule, each late or due on ON (the bench's tree in small).
SEED = """
WITH h AS (
    INSERT INTO monitoring.household (region_code, head_name, category, status, risk_causes, included_on, version)
    SELECT :village, '户主' || c.n, c.category, '正常', '{}', c.included_on, 1
    FROM (VALUES (1, '边缘易致贫户', DATE '2024-01-05'), (2, '脱贫户', NULL), (3, '一般农户', NULL),
                 (4, '一般农户', NULL), (5, '一般农户', NULL)) AS c (n, category, included_on)
    RETURNING id, head_name
), m AS (
    INSERT INTO monitoring.member (household_id, region_code, id_number, name, sex, birth_date, relation, labour_skill,
                                   health, school_status, medical_insured, pension_insured, dibao, tekun,
                                   public_welfare_job, status, version)
    SELECT id, :village, '36070219800101' || lpad(id::text, 4, '0'), '户主', '男', DATE '1980-01-01', '户主',
           '普通劳动力', '健康', '非在校生', true, true, false, false, false, '正常', 1
    FROM h WHERE head_name = '户主1'
), v AS (
    INSERT INTO monitoring.visit (household_id, region_code, cadre_name, visited_on, findings, version)
    SELECT id, :village, '干部', CASE head_name WHEN '户主1' THEN DATE '2024-05-01' ELSE DATE '2024-05-20' END,
           '正常', 1
    FROM h WHERE head_name IN ('户主1', '户主2')
), a AS (
    INSERT INTO monitoring.assessment (household_id, region_code, month, outcome, risk_causes, assessed_by,
                                       assessed_on, recorded_by, version)
    SELECT id, :village, CASE head_name WHEN '户主3' THEN DATE '2024-05-01' ELSE DATE '2024-06-01' END,
           CASE head_name WHEN '户主3' THEN '持续关注' ELSE '暂不纳入' END, '{因病}', '信息员', DATE '2024-06-10',
           'test', 1
    FROM h WHERE head_name IN ('户主3', '户主4')
)
INSERT INTO monitoring.inclusion_case (household_id, region_code, channel, clue_date, risk_causes, stage, status,
                                       opened_by, version)
SELECT id, :village, '干部排查', DATE '2024-07-01', '{}', '线索登记', '办理中', 'test', 1
FROM h WHERE head_name = '户主5'
"""


async def _report(settings: MonitoringSettings, key: str, connections: int) -> dict[str, Any]:
    app = create_app(settings.model_copy(update={"deadlines": DeadlineSettings(connections=connections)}))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://monitoring") as client:
            response = await client.get(
                "/deadlines", params={"on": ON.isoformat(), "horizon_days": 14}, headers={"X-API-Key": key}
            )
    finally:
        await app.state.ctx.engine.dispose()
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_the_rules_side_by_side_give_the_report_of_one_connection(
    committed: async_sessionmaker[AsyncSession],
    service_settings: Callable[[type[ServiceSettings]], ServiceSettings],
    migrated_database: str,
) -> None:
    async with committed() as session:
        await session.execute(text(SEED), {"village": VILLAGE})
        await session.commit()
    key = await create_api_key(migrated_database, "worker", Role.service, DISTRICT, ["deadlines"])
    settings = service_settings(MonitoringSettings)
    assert isinstance(settings, MonitoringSettings)
    side_by_side = await _report(settings, key, 3)
    assert side_by_side == await _report(settings, key, 1)
    assert sorted(item["kind"] for item in side_by_side["items"]) == [
        "monitoring.development_measure",
        "monitoring.inclusion_decision",
        "monitoring.not_now_review",
        "monitoring.visits",
        "monitoring.visits",
        "monitoring.watch_reassessment",
    ]
