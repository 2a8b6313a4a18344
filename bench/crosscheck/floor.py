"""The raw floor, measured in the same run: psql COPY of the same file into a bare table, then the same anti-join
(the member_not_insured rule in plain SQL) written into a table. No HTTP, no Python, no validation, no upsert."""

import subprocess
import time
from pathlib import Path

from monitoring_api.sector.crosscheck.job import WORK_MEM

FLOOR_SCHEMA = "bench_floor"
ANTI_JOIN = """
CREATE TABLE bench_floor.finding AS
SELECT m.id_number, m.region_code, m.id AS member_id, m.household_id,
       jsonb_build_object('name', m.name, 'medical_insured', m.medical_insured, 'household_category', h.category,
                          'dibao', m.dibao, 'tekun', m.tekun) AS registry_data
FROM monitoring.member m JOIN monitoring.household h ON h.id = m.household_id
WHERE m.status = '正常' AND h.status = '正常' AND m.region_code >= '360702' AND m.region_code < '360703'
  AND (h.category IN ('脱贫户', '边缘易致贫户', '突发严重困难户', '脱贫不稳定户') OR m.dibao OR m.tekun)
  AND NOT EXISTS (SELECT 1 FROM bench_floor.enrolment e WHERE e.id_number = m.id_number)
"""


def _psql(url: str, *commands: str) -> float:
    args = ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    for command in commands:
        args += ["-c", command]
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - started


def measure(url: str, path: Path) -> dict[str, float | int]:
    _psql(
        url,
        f"DROP SCHEMA IF EXISTS {FLOOR_SCHEMA} CASCADE",
        f"CREATE SCHEMA {FLOOR_SCHEMA}",
        f"CREATE TABLE {FLOOR_SCHEMA}.enrolment (id_number varchar(18), name varchar(50), scheme varchar(40), "
        "enrolled_on date)",
    )
    copy = _psql(url, f"\\copy {FLOOR_SCHEMA}.enrolment FROM '{path}' WITH (FORMAT csv, HEADER true)")
    # The job's own work_mem, so that the floor's hash join does not spill where ours would not.
    anti_join = _psql(url, f"SET work_mem = '{WORK_MEM}'", f"ANALYZE {FLOOR_SCHEMA}.enrolment", ANTI_JOIN)
    found = subprocess.run(
        ["psql", url, "-X", "-At", "-c", f"SELECT count(*) FROM {FLOOR_SCHEMA}.finding"],
        check=True,
        capture_output=True,
        text=True,
    )
    _psql(url, f"DROP SCHEMA {FLOOR_SCHEMA} CASCADE")
    return {"copy_s": copy, "anti_join_s": anti_join, "total_s": copy + anti_join, "findings": int(found.stdout)}
