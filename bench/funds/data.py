"""The benchmark's funds data, generated in PostgreSQL by set-based SQL (no row leaves the server).

40 fund sources of 2026 (中央/省/市/区 in turn), `projects` approved projects spread over every village of the region
tree, one allocation each, and `payments_per_project` payments each dated through the year, never more in all than
the allocation (each project is paid between 30% and 100% of it, in equal parts); then the running totals are built
from them with the statements a repair would use (ledger.SERIES, Series.rebuild).
"""

import asyncpg

from funds_api.disbursement.ledger import SERIES

SOURCES = """
INSERT INTO funds.fund_source (year, level, document_number, name, amount, region_code, version)
SELECT 2026, (ARRAY['中央', '省', '市', '区'])[1 + g % 4], 'BENCH〔2026〕' || g || '号',
       '2026年衔接资金第' || g || '批', 500000000.00, '360702000000', 1
FROM generate_series(1, 40) AS g
"""

PROJECTS = """
WITH villages AS (
    SELECT code, (row_number() OVER (ORDER BY code) - 1)::int AS i, count(*) OVER ()::int AS n
    FROM funds.region WHERE level = 'village'
)
INSERT INTO funds.project (
    year, name, type, region_code, town_code, owner_department, budget, funding_plan, performance_targets,
    status, declared_on, declared_by, notice_start, notice_end, decided_on, progress, version
)
SELECT 2026, '基准项目' || g,
       (ARRAY['产业', '产业', '产业', '就业', '基础设施', '乡村建设', '公共服务', '其他'])[1 + g % 8],
       v.code, left(v.code, 9) || '000',
       (ARRAY['区农办', '区住建局', '区交通运输局', '区水利局', '区社管局', '区人社局', '区教科体局', '区卫健委'])
           [1 + g % 8],
       100000.00 + (g % 50) * 10000, '[]'::jsonb,
       '[{"kind": "效益指标", "indicator": "带动脱贫户增收户数", "target": "≥ 10 户"}]'::jsonb,
       '已入库', DATE '2025-08-01', 'bench', DATE '2025-08-10', DATE '2025-08-16', DATE '2025-09-01', '在建', 1
FROM generate_series(1, $1::int) AS g
JOIN villages AS v ON v.i = g % v.n
"""

ALLOCATIONS = """
INSERT INTO funds.allocation (
    fund_source_id, project_id, region_code, amount, paid, allocated_on, allocated_by, version
)
SELECT s.id, p.id, p.region_code, p.budget, 0, DATE '2026-01-15' + (p.id % 60)::int, 'bench', 1
FROM funds.project AS p
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM funds.fund_source) AS s ON s.i = p.id % 40
"""

PAYMENTS = """
WITH shares AS (
    SELECT a.id, a.project_id, a.fund_source_id, a.region_code, a.amount, a.allocated_on,
           0.30 + 0.70 * ((hashint4(a.id::int)::bigint & 1023) / 1023.0) AS share
    FROM funds.allocation AS a
)
INSERT INTO funds.payment (
    allocation_id, project_id, fund_source_id, region_code, paid_on, amount, voucher_number, paid_by
)
SELECT s.id, s.project_id, s.fund_source_id, s.region_code, s.allocated_on + k * 28,
       trunc(s.amount * s.share / $1::int, 2), 'BENCH-' || s.id || '-' || k, 'bench'
FROM shares AS s, generate_series(1, $1::int) AS k
"""

PAID = """
UPDATE funds.allocation AS a SET paid = t.paid
FROM (SELECT allocation_id, sum(amount) AS paid FROM funds.payment GROUP BY allocation_id) AS t
WHERE t.allocation_id = a.id
"""

TABLES = (
    "funds.disbursement_state, funds.disbursement_project_state, funds.payment, funds.allocation,"
    " funds.project_step, funds.project_change,"
    " funds.project_review"
)


async def counts(url: str) -> tuple[int, int]:
    conn = await asyncpg.connect(url)
    try:
        projects = await conn.fetchval("SELECT count(*) FROM funds.project")
        payments = await conn.fetchval("SELECT count(*) FROM funds.payment")
        return int(projects), int(payments)
    finally:
        await conn.close()


async def generate(url: str, *, projects: int, payments_per_project: int) -> None:
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            await conn.execute(f"TRUNCATE {TABLES}, funds.project, funds.fund_source RESTART IDENTITY CASCADE")
            await conn.execute(SOURCES)
            await conn.execute(PROJECTS, projects)
            await conn.execute(ALLOCATIONS)
            await conn.execute(PAYMENTS, payments_per_project)
            await conn.execute(PAID)
            for series in SERIES:
                await conn.execute(series.rebuild().text)
        for table in ("funds.fund_source", "funds.project", "funds.allocation", "funds.payment"):
            await conn.execute(f"VACUUM (ANALYZE) {table}")
        for series in SERIES:
            await conn.execute(f"VACUUM (ANALYZE) {series.table}")
    finally:
        await conn.close()
