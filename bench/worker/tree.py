"""A province-sized registry generated in SQL (generate_series, INSERT … SELECT): 1,500 towns, 17,000 villages,
5,000,000 households, and the records the deadline rules read (assessments, inclusion cases, visits, measures)."""

import psycopg

ON = "2024-09-25"  # the day the bench reminds on (a Wednesday)

SQL = """
SET synchronous_commit = off;
INSERT INTO monitoring.region (code, name, level, parent_code)
VALUES ('360000000000', '江西省（基准）', 'district', NULL);
CREATE TEMP TABLE town AS
SELECT row_number() OVER () AS n, code FROM (
    SELECT '36' || lpad(c::text, 2, '0') || lpad(k::text, 2, '0') || lpad(t::text, 3, '0') || '000' AS code
    FROM generate_series(1, 11) c, generate_series(1, 10) k, generate_series(100, 113) t
    ORDER BY 1 LIMIT %(towns)s
) s;
INSERT INTO monitoring.region (code, name, level, parent_code)
SELECT code, '镇' || n, 'town', '360000000000' FROM town;
CREATE TEMP TABLE village AS
SELECT row_number() OVER (ORDER BY code) - 1 AS n, code FROM (
    SELECT left(t.code, 9) || lpad((200 + v)::text, 3, '0') AS code
    FROM town t, generate_series(0, 11) v
    ORDER BY 1 LIMIT %(villages)s
) s;
INSERT INTO monitoring.region (code, name, level, parent_code)
SELECT code, '村' || n, 'village', left(code, 9) || '000' FROM village;

-- 80 in 100 ordinary, 15 lifted (visited every two months), 5 monitoring subjects (visited monthly, six-month rules)
INSERT INTO monitoring.household (id, region_code, head_name, category, status, risk_causes, included_on, version)
OVERRIDING SYSTEM VALUE
SELECT g, v.code, '户主',
       CASE WHEN g %% 20 = 0 THEN '边缘易致贫户' WHEN g %% 20 < 4 THEN '脱贫户' ELSE '一般农户' END,
       '正常', '{}'::varchar[],
       CASE WHEN g %% 20 = 0 THEN CAST(%(on)s AS date) - ((g / 20) %% 240)::int END, 1
FROM generate_series(1, %(households)s) g JOIN village v ON v.n = g %% %(villages)s;
SELECT setval(pg_get_serial_sequence('monitoring.household', 'id'), %(households)s);

INSERT INTO monitoring.member (household_id, region_code, id_number, name, sex, birth_date, relation, labour_skill,
                               health, school_status, medical_insured, pension_insured, dibao, tekun,
                               public_welfare_job, status, version)
SELECT h.id, h.region_code, '36' || lpad(h.id::text, 15, '0') || 'X', '户主', '男', DATE '1980-01-01', '户主',
       '普通劳动力', '健康', '非在校生', true, true, false, false, false, '正常', 1
FROM monitoring.household h WHERE h.id %% 20 = 0;

-- Half the subjects have a development measure under way.
INSERT INTO monitoring.measure (household_id, region_code, category, owner, start_on, status, version)
SELECT h.id, h.region_code, '产业帮扶', '干部', h.included_on, '实施中', 1
FROM monitoring.household h WHERE h.id %% 40 = 0;

-- Monthly assessments: 持续关注 last month (due again this month), 暂不纳入 this month and last (unreviewed).
INSERT INTO monitoring.assessment (household_id, region_code, month, outcome, risk_causes, assessed_by, assessed_on,
                                   recorded_by, version)
SELECT h.id, h.region_code,
       CASE WHEN h.id %% 3 = 0 THEN DATE '2024-08-01' ELSE DATE '2024-09-01' END,
       CASE WHEN h.id %% 3 = 1 THEN '暂不纳入' ELSE '持续关注' END,
       '{因病}', '信息员', CASE WHEN h.id %% 3 = 0 THEN DATE '2024-08-10' ELSE DATE '2024-09-10' END, 'bench', 1
FROM monitoring.household h WHERE h.id %% 17 = 1;

-- Open inclusion cases, clues over the last month.
INSERT INTO monitoring.inclusion_case (household_id, region_code, channel, clue_date, risk_causes, stage, status,
                                       opened_by, version)
SELECT h.id, h.region_code, '干部排查', CAST(%(on)s AS date) - (h.id %% 30)::int, '{}', '线索登记', '办理中', 'bench', 1
FROM monitoring.household h WHERE h.id %% 250 = 7;

-- One recent visit for most visited households.
INSERT INTO monitoring.visit (household_id, region_code, cadre_name, visited_on, findings, version)
SELECT h.id, h.region_code, '干部', CAST(%(on)s AS date) - (h.id %% 75)::int, '正常', 1
FROM monitoring.household h WHERE h.id %% 20 < 4 AND h.id %% 10 <> 9;
"""


def generate(url: str, *, towns: int = 1_500, villages: int = 17_000, households: int = 5_000_000) -> None:
    params = {"towns": towns, "villages": villages, "households": households, "on": ON}
    with psycopg.connect(url.replace("+asyncpg", ""), autocommit=True) as conn:
        for statement in SQL.split(";\n"):
            if statement.strip():
                conn.execute(statement, params)  # type: ignore[arg-type]
        conn.execute("VACUUM ANALYZE")
