"""The data generator: valid unique ID numbers, one head per household, determinism, proportions, consistent incomes."""

from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import asyncpg
import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.datagen import profile
from bench.datagen.loader import AlreadyLoaded, Mode, Options, Refused, generate
from bench.demo_users import DEMO_USERS, ensure_demo_users
from dixian_shared import idnumber
from monitoring_api.households.enums import MONITORING_SUBJECTS, Category

AS_OF = date(2026, 11, 29)
SMALL = Options(households=1_000, seed=7, as_of=AS_OF, chunk_households=300)  # several COPY chunks
TINY = Options(households=200, seed=7, as_of=AS_OF)


class _Undo(Exception):
    """Raised to roll a savepoint back."""


@pytest.fixture
async def pg(connection: AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under the test's rolled-back transaction, with the transaction already begun."""
    await connection.exec_driver_sql("SELECT 1")  # SQLAlchemy opens the transaction lazily
    raw = await connection.get_raw_connection()
    return raw.driver_connection  # type: ignore[return-value]


@pytest.fixture
async def generated(pg: asyncpg.Connection) -> AsyncIterator[asyncpg.Connection]:
    await generate(pg, SMALL)
    yield pg


async def _first_rows(pg: asyncpg.Connection, options: Options) -> list[tuple[object, ...]]:
    """Generate inside a savepoint, read the first rows, and undo the generation."""
    try:
        async with pg.transaction():
            await generate(pg, options)
            households = await pg.fetch("SELECT * FROM monitoring.household ORDER BY id LIMIT 20")
            members = await pg.fetch("SELECT * FROM monitoring.member ORDER BY id LIMIT 60")
            incomes = await pg.fetch("SELECT * FROM monitoring.household_income ORDER BY id LIMIT 40")
            raise _Undo
    except _Undo:
        pass
    ignore = {"created_at", "updated_at"}
    return [tuple(v for k, v in r.items() if k not in ignore) for r in [*households, *members, *incomes]]


async def test_every_id_number_is_valid_unique_and_agrees_with_birth_date_and_sex(
    generated: asyncpg.Connection,
) -> None:
    rows = await generated.fetch("SELECT id_number, birth_date, sex FROM monitoring.member")
    assert len(rows) > 3 * SMALL.households
    numbers = [r["id_number"] for r in rows]
    assert len(set(numbers)) == len(numbers)
    for row in rows:
        number = row["id_number"]
        assert idnumber.validate(number) == number
        assert number.startswith("3607")
        assert idnumber.birth_date(number) == row["birth_date"]
        assert idnumber.sex(number) == row["sex"]
        assert AS_OF - timedelta(days=101 * 366) < row["birth_date"] <= AS_OF


async def test_exactly_one_head_per_household_named_on_the_household(generated: asyncpg.Connection) -> None:
    heads = await generated.fetch(
        """
        SELECT h.id, h.head_name, count(m.id) FILTER (WHERE m.relation = '户主') AS heads,
               max(m.name) FILTER (WHERE m.relation = '户主') AS head, count(m.id) AS members
        FROM monitoring.household h LEFT JOIN monitoring.member m ON m.household_id = h.id GROUP BY h.id
        """
    )
    assert len(heads) == SMALL.households
    assert all(r["heads"] == 1 and r["head"] == r["head_name"] and r["members"] >= 1 for r in heads)
    assert (
        await generated.fetchval("SELECT count(*) FROM monitoring.member WHERE relation = '户主' AND status <> '正常'")
        == 0
    )


async def test_same_seed_gives_the_same_rows_and_another_seed_other_rows(pg: asyncpg.Connection) -> None:
    first = await _first_rows(pg, TINY)
    again = await _first_rows(pg, TINY)
    other = await _first_rows(pg, Options(households=200, seed=8, as_of=AS_OF))
    assert first == again
    assert len(first) == 20 + 60 + 40
    assert first[:20] != other[:20]


async def test_proportions_are_as_designed(generated: asyncpg.Connection) -> None:
    categories = Counter(dict(await generated.fetch("SELECT category, count(*) FROM monitoring.household GROUP BY 1")))
    for category, share in profile.CATEGORY_SHARES.items():
        assert abs(categories[category.value] / SMALL.households - share) < 0.001, category
    subjects = sum(categories[c.value] for c in MONITORING_SUBJECTS)
    assert 0.01 <= subjects / SMALL.households <= 0.02

    facts = await generated.fetchrow(
        """
        SELECT count(*) AS people, avg(medical_insured::int) AS insured,
               count(*) FILTER (WHERE date_part('year', age($1::date, birth_date)) BETWEEN 6 AND 15) AS school_age,
               count(*) FILTER (WHERE date_part('year', age($1::date, birth_date)) BETWEEN 6 AND 15
                                AND school_status IN ('小学', '初中', '高中', '中职')) AS at_school,
               count(*) FILTER (WHERE dibao) AS dibao, count(*) FILTER (WHERE tekun) AS tekun
        FROM monitoring.member WHERE status = '正常'
        """,
        AS_OF,
    )
    assert 3.0 <= facts["people"] / SMALL.households <= 3.7
    assert 0.95 <= facts["insured"] <= 0.99
    assert facts["school_age"] > 0 and facts["at_school"] / facts["school_age"] >= 0.95
    assert 0 < facts["dibao"] < 0.1 * facts["people"]
    assert facts["tekun"] < 0.02 * facts["people"]

    households = await generated.fetch(
        "SELECT category, included_on, lifted_year, risk_causes FROM monitoring.household"
    )
    for h in households:
        category = Category(h["category"])
        if category in MONITORING_SUBJECTS:
            assert AS_OF - timedelta(days=366) <= h["included_on"] < AS_OF and 1 <= len(h["risk_causes"]) <= 5
        else:
            assert h["included_on"] is None and h["risk_causes"] == []
        lifted = category in (Category.lifted, Category.unstable)
        assert (h["lifted_year"] is not None) == lifted
        assert h["lifted_year"] is None or 2014 <= h["lifted_year"] <= 2020


async def test_incomes_add_up_for_both_years(generated: asyncpg.Connection) -> None:
    rows = await generated.fetch(
        """
        SELECT i.*, (SELECT count(*) FROM monitoring.member m WHERE m.household_id = i.household_id
                     AND m.status = '正常') AS living
        FROM monitoring.household_income i
        """
    )
    assert len(rows) == 2 * SMALL.households
    assert Counter(r["year"] for r in rows) == {2023: SMALL.households, 2024: SMALL.households}
    for r in rows:
        parts = [r["wage_income"], r["business_income"], r["property_income"], r["transfer_income"]]
        assert all(p >= 0 for p in [*parts, r["business_expense"], r["compliant_out_of_pocket"]])
        assert r["net_income"] == sum(parts) - r["business_expense"]
        assert r["household_size"] == r["living"] >= 1
        expected = (r["net_income"] / r["household_size"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert r["per_capita_net_income"] == expected


async def test_refuses_a_loaded_registry_unless_told_to_append_or_replace(generated: asyncpg.Connection) -> None:
    async def households() -> int:
        return int(await generated.fetchval("SELECT count(*) FROM monitoring.household"))

    with pytest.raises(AlreadyLoaded):
        await generate(generated, TINY)
    assert await households() == SMALL.households

    appended = await generate(generated, TINY, mode=Mode.append)
    assert appended.first_household_id > SMALL.households
    assert await households() == SMALL.households + TINY.households
    numbers = [r["id_number"] for r in await generated.fetch("SELECT id_number FROM monitoring.member")]
    assert len(set(numbers)) == len(numbers)

    await generate(generated, TINY, mode=Mode.replace)
    assert await households() == TINY.households
    next_id = await generated.fetchval("SELECT nextval(pg_get_serial_sequence('monitoring.member', 'id'))")
    assert next_id > await generated.fetchval("SELECT max(id) FROM monitoring.member")


async def test_refuses_without_a_region_tree(pg: asyncpg.Connection) -> None:
    await pg.execute("DELETE FROM monitoring.region")
    with pytest.raises(Refused, match="region tree"):
        await generate(pg, TINY)


async def test_demo_users_are_made_once_and_can_sign_in(
    pg: asyncpg.Connection, migrated_database: str, monitoring: httpx.AsyncClient
) -> None:
    try:
        first = await ensure_demo_users(pg, migrated_database)
        second = await ensure_demo_users(pg, migrated_database)
        assert [created for _, created in first] == [True] * len(DEMO_USERS)
        assert [created for _, created in second] == [False] * len(DEMO_USERS)
        village = next(u for u in DEMO_USERS if u.role == "village")
        response = await monitoring.post(
            "/auth/token", data={"username": village.username, "password": village.password}
        )
        assert response.status_code == 200, response.text
        assert (response.json()["role"], response.json()["region_code"]) == ("village", "360702191200")
        wrong = await monitoring.post("/auth/token", data={"username": village.username, "password": "guess"})
        assert wrong.status_code == 401
    finally:
        # create_user commits on its own connection: remove what it made for the other tests.
        cleanup = await asyncpg.connect(migrated_database.replace("postgresql+asyncpg://", "postgresql://"))
        await cleanup.execute("DELETE FROM identity.user_account WHERE username LIKE 'demo-%'")
        await cleanup.close()
