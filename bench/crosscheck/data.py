"""The benchmark's inputs: an API key in the database, and the enrolment file written from the registry itself."""

import csv
import hashlib
import random
from pathlib import Path

import asyncpg

from dixian_shared import idnumber
from dixian_shared.auth.api_keys import new_key

SECTOR_TABLES = (
    "sector_discrepancy_action",
    "sector_discrepancy",
    "crosscheck_job",
    "sector_row_error",
    "sector_row",
    "sector_batch_part",
    "sector_batch",
)


async def reset(url: str) -> str:
    """Empty the sector tables (each run starts from no discrepancies) and make a medical-insurance API key."""
    conn = await asyncpg.connect(url)
    try:
        tables = ", ".join(f"monitoring.{t}" for t in SECTOR_TABLES)
        await conn.execute(f"TRUNCATE {tables}")
        key, prefix, secret_hash = new_key()
        await conn.execute(
            "INSERT INTO identity.api_key (prefix, secret_hash, name, role, region_code, scopes, active) "
            "VALUES ($1, $2, '区医保分中心 (bench)', 'department', '360702000000', $3, true)",
            prefix,
            secret_hash,
            ["medical_enrolment"],
        )
        await conn.execute("VACUUM (ANALYZE) monitoring.sector_row")
        return key
    finally:
        await conn.close()


def _missing(id_number: str, share: float) -> bool:
    """Deterministic: the same people are left off the roll in every run."""
    digest = hashlib.blake2b(id_number.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") < share * 2**32


async def write_enrolment(url: str, path: Path, rows: int, missing_share: float, seed: int) -> dict[str, int]:
    """Living registry members minus a share left off, padded with people the registry does not know (insured
    elsewhere in the district's scheme) up to `rows`; written as the department would send it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = await asyncpg.connect(url)
    listed = left_off = strangers = 0
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, lineterminator="\r\n")
            out.writerow(["id_number", "name", "scheme", "enrolled_on"])
            async with conn.transaction():
                cursor = conn.cursor(
                    "SELECT id_number, name FROM monitoring.member WHERE status = '正常' ORDER BY id", prefetch=10_000
                )
                async for record in cursor:
                    if listed == rows:
                        break
                    if _missing(record["id_number"], missing_share):
                        left_off += 1
                        continue
                    out.writerow([record["id_number"], record["name"], "城乡居民基本医疗保险", "2024-01-01"])
                    listed += 1
            draw = random.Random(seed)
            while listed + strangers < rows:
                # Born in 1950-2009 in a county outside the district: valid numbers the registry cannot hold.
                birth = f"{draw.randint(1950, 2009)}{draw.randint(1, 12):02d}{draw.randint(1, 28):02d}"
                number = idnumber.make(f"360121{birth}{draw.randint(0, 999):03d}")
                out.writerow([number, "王某", "城乡居民基本医疗保险", "2024-01-01"])
                strangers += 1
    finally:
        await conn.close()
    return {"rows": listed + strangers, "registry_people_listed": listed, "left_off": left_off, "strangers": strangers}


def split(path: Path, parts: int) -> list[Path]:
    """The file cut into `parts` files of whole lines, each with the header (one part: the file itself)."""
    if parts == 1:
        return [path]
    with path.open("rb") as handle:
        header = handle.readline()
        lines = handle.readlines()
    size = -(-len(lines) // parts)
    found = []
    for index in range(parts):
        part = path.with_name(f"{path.stem}.part{index + 1}of{parts}.csv")
        part.write_bytes(header + b"".join(lines[index * size : (index + 1) * size]))
        found.append(part)
    return found
