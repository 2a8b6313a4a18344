"""The household import at volume (thousands of generated rows, set-based) and replayed with an Idempotency-Key."""

from collections.abc import Callable

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import OTHER_VILLAGE, TOWN, VILLAGE
from dixian_shared.contracts import PROVINCIAL_RECORD_CHANGE
from monitoring_api.households.models import Household, Member
from monitoring_api.models import COMMON

from .test_import_files import csv_bytes, family, upload

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]
HOUSEHOLDS = 1_000
SIZE = 3


async def _counts(session: AsyncSession) -> tuple[int, int, int, int]:
    audit = COMMON.audit_log
    return (
        await session.scalar(select(func.count()).select_from(Household)),
        await session.scalar(select(func.count()).select_from(Member)),
        await session.scalar(
            select(func.count())
            .select_from(COMMON.outbox)
            .where(COMMON.outbox.c.actor_name == PROVINCIAL_RECORD_CHANGE.name)
        ),
        await session.scalar(select(func.count()).where(audit.c.entity == "household_import")),
    )  # type: ignore[return-value]


def _generated() -> list[dict[str, str]]:
    """1,000 households of 3 across two villages; every 100th household has one bad member row."""
    rows: list[dict[str, str]] = []
    for index in range(HOUSEHOLDS):
        members = family(f"G{index:05d}", VILLAGE if index % 2 else OTHER_VILLAGE, SIZE)
        if index % 100 == 7:
            members[1]["劳动技能"] = "不详"
        rows += members
    return rows


async def test_thousands_of_rows_import_set_based(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    rows = _generated()
    headers = token_for("town", TOWN)
    response = await upload(monitoring, headers, csv_bytes(rows), mode="skip_bad_rows")
    assert response.status_code == 200, response.text
    report = response.json()
    bad_households = HOUSEHOLDS // 100
    assert report["rows"] == HOUSEHOLDS * SIZE
    assert report["households"] == HOUSEHOLDS
    assert report["imported_households"] == HOUSEHOLDS - bad_households
    assert report["imported_members"] == (HOUSEHOLDS - bad_households) * SIZE
    assert (report["skipped_households"], report["rejected_rows"]) == (bad_households, bad_households * SIZE)
    assert len(report["errors"]) == bad_households * SIZE and not report["errors_truncated"]
    assert {e["field"] for e in report["errors"]} == {"劳动技能", "户编号"}

    session = session_on(COMMON)
    assert await _counts(session) == (
        HOUSEHOLDS - bad_households,
        (HOUSEHOLDS - bad_households) * SIZE,
        HOUSEHOLDS - bad_households,  # one household_changed event per household
        1,  # one audit row for the whole import
    )
    per_village = dict(
        (await session.execute(select(Member.region_code, func.count()).group_by(Member.region_code))).all()
    )
    assert per_village == {VILLAGE: 490 * SIZE, OTHER_VILLAGE: 500 * SIZE}  # the bad ones are odd: VILLAGE
    heads = await session.scalar(select(func.count()).where(Member.relation == "户主"))
    assert heads == HOUSEHOLDS - bad_households
    # Members belong to the household of their own 户编号, in file order.
    first = await session.scalar(select(Household).where(Household.household_number == "G00001"))
    assert first is not None
    names = (
        await session.scalars(select(Member.name).where(Member.household_id == first.id).order_by(Member.id))
    ).all()
    assert names == ["张三", "成员1", "成员2"]

    # The same file again: every person is now in the registry, so strict mode refuses it whole.
    again = await upload(monitoring, headers, csv_bytes(rows))
    assert again.status_code == 422
    assert again.json()["report"]["errors_truncated"] is True
    assert len(again.json()["report"]["errors"]) == 1_000
    assert await _counts(session) == (
        HOUSEHOLDS - bad_households,
        (HOUSEHOLDS - bad_households) * SIZE,
        HOUSEHOLDS - bad_households,
        1,
    )


async def test_a_replayed_import_writes_nothing(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    headers = {**token_for("village", VILLAGE), "Idempotency-Key": "import-2024-06-01"}
    content = csv_bytes(family("H-R1", VILLAGE, 3) + family("H-R2", VILLAGE, 2))
    first = await upload(monitoring, headers, content)
    assert first.status_code == 200, first.text
    session = session_on(COMMON)
    after_first = await _counts(session)
    assert after_first == (2, 5, 2, 1)

    # The retry's multipart boundary is drawn afresh (httpx does, as most clients do): the form's content decides.
    replay = await upload(monitoring, headers, content)
    assert replay.status_code == 200
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert await _counts(session) == after_first

    same_length = content.replace(b"H-R1", b"H-R9")
    assert len(same_length) == len(content) and same_length != content
    for other in (same_length, csv_bytes(family("H-R3", VILLAGE, 1))):
        refused = await upload(monitoring, headers, other)
        assert refused.status_code == 422
        assert refused.json()["type"].endswith("/idempotency-key-reused")
    assert await _counts(session) == after_first


async def test_a_broken_form_under_an_idempotency_key_is_a_client_error(
    monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    headers = {
        **token_for("village", VILLAGE),
        "Idempotency-Key": "import-broken",
        "Content-Type": "multipart/form-data; boundary=x",
    }
    for body in (b"--x\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--x--\r\n", b"--x\r\n\x00 not a part"):
        response = await monitoring.post("/imports/households", content=body, headers=headers)
        assert 400 <= response.status_code < 500, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
