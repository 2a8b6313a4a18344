"""Every household and member query; region scoping is applied here, in the query itself."""

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Integer,
    Label,
    Select,
    Table,
    Text,
    bindparam,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from dixian_shared import regioncode
from dixian_shared.auth.principal import Principal, in_scope, region_parameters, under_region_bound
from dixian_shared.pagination import PageParams, keyset_after
from dixian_shared.prepared import ByShape, Prepared
from monitoring_api.households.enums import Category, MemberStatus, Relation
from monitoring_api.households.models import AssistanceStatusChange, Household, HouseholdMove, Member, MemberMove
from monitoring_api.income.models import VerifiedIncome
from monitoring_api.models import COMMON, Base


async def get_household(
    session: AsyncSession,
    principal: Principal,
    household_id: int,
    *,
    with_members: bool = False,
    for_update: bool = False,
) -> Household | None:
    stmt = select(Household).where(Household.id == household_id, in_scope(Household.region_code, principal))
    if with_members:
        stmt = stmt.options(selectinload(Household.members))
    if for_update:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


_household, _member = Household.__table__, Member.__table__
_LIST_KEYS = [_household.c.region_code, _household.c.id]


def _detail_statement(village: bool) -> Select[*tuple[Any, ...]]:
    scope = under_region_bound(_household.c.region_code, "scope", village)
    return select(_household, _verified_incomes(_household.c.id)).where(
        _household.c.id == bindparam("household_id"), scope
    )


def _list_statement(shape: tuple[bool, bool | None, bool, bool]) -> Select[*tuple[Any, ...]]:
    """A page of households: in scope, under the region asked for (None: not asked), of a category, after the cursor.
    Ordered by (village, id): the (region_code, id) index then serves a town's or the district's pages as one
    in-order range scan, wherever the town's households fall in id order."""
    village_scope, village_asked, by_category, after_cursor = shape
    stmt = select(_household).where(under_region_bound(_household.c.region_code, "scope", village_scope))
    if village_asked is not None:
        stmt = stmt.where(under_region_bound(_household.c.region_code, "asked", village_asked))
    if by_category:
        stmt = stmt.where(_household.c.category == bindparam("category"))
    if after_cursor:
        after = [bindparam(f"after_{key.name}", type_=key.type) for key in _LIST_KEYS]
        stmt = stmt.where(tuple_(*_LIST_KEYS) > tuple_(*after))
    return stmt.order_by(*_LIST_KEYS).limit(bindparam("limit", type_=Integer))


# The two hottest reads of the registry, compiled once per shape and run on the session's driver connection.
_DETAIL = ByShape(_detail_statement)
_MEMBERS = Prepared(select(_member).where(_member.c.household_id == bindparam("household_id")).order_by(_member.c.id))
_LIST = ByShape(_list_statement)


async def household_detail(session: AsyncSession, principal: Principal, household_id: int) -> dict[str, Any] | None:
    """The household with its members as plain rows, for the read-only detail (the hottest read). The province's
    income verifications come inside the household's statement, so the read stays two round trips."""
    scope = region_parameters("scope", principal.region_prefix)
    row = await _DETAIL["scope_high" not in scope].fetchrow(session, household_id=household_id, **scope)
    if row is None:
        return None
    members = await _MEMBERS.fetch(session, household_id=household_id)
    return {**dict(row), "members": [dict(member) for member in members]}


def _verified_incomes(household_id: ColumnElement[int]) -> Label[Any]:
    """The household's income verifications as a JSON array, latest year first (amounts as text: exact decimals)."""
    verified = VerifiedIncome.__table__
    fields = {
        "year": verified.c.year,
        "per_capita_net_income": verified.c.per_capita_net_income.cast(Text),
        "verified_on": verified.c.verified_on,
        "items": verified.c["items"],
    }
    entry = func.jsonb_build_object(*(part for name, value in fields.items() for part in (literal(name, Text), value)))
    ordered = func.jsonb_agg(aggregate_order_by(entry, verified.c.year.desc()))
    aggregated = func.coalesce(ordered, text("'[]'::jsonb"), type_=JSONB)
    return (
        select(aggregated)
        .where(verified.c.household_id == household_id)
        .scalar_subquery()
        .label("income_verifications")
    )


async def list_households(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    *,
    region_code: str | None = None,
    category: Category | None = None,
) -> list[dict[str, Any]]:
    """A page of households as plain rows (a list is only read, never changed)."""
    values: dict[str, Any] = {"limit": params.limit + 1, "category": category}
    values.update(region_parameters("scope", principal.region_prefix))
    if region_code is not None:
        values.update(region_parameters("asked", regioncode.prefix(region_code)))
    after = keyset_after(_LIST_KEYS, params)
    if after is not None:
        values.update({f"after_{key.name}": value for key, value in zip(_LIST_KEYS, after, strict=True)})
    shape = (
        "scope_high" not in values,
        None if region_code is None else "asked_high" not in values,
        category is not None,
        after is not None,
    )
    return [dict(row) for row in await _LIST[shape].fetch(session, **values)]


async def get_member(session: AsyncSession, principal: Principal, member_id: int) -> Member | None:
    return await session.scalar(select(Member).where(Member.id == member_id, in_scope(Member.region_code, principal)))


async def list_members(session: AsyncSession, household_id: int) -> Sequence[Member]:
    return (await session.scalars(select(Member).where(Member.household_id == household_id).order_by(Member.id))).all()


async def active_members_with_ids(session: AsyncSession, id_numbers: Sequence[str]) -> Sequence[Member]:
    """Registry-wide (unscoped) on purpose: a person may be in one household only, whoever asks."""
    if not id_numbers:
        return []
    stmt = select(Member).where(Member.id_number.in_(id_numbers), Member.status == MemberStatus.active)
    return (await session.scalars(stmt)).all()


async def village_exists(session: AsyncSession, region_code: str) -> bool:
    region = COMMON.region
    stmt = select(region.c.code).where(region.c.code == region_code, region.c.level == "village")
    return await session.scalar(stmt) is not None


async def lock_households(session: AsyncSession, household_ids: Sequence[int]) -> None:
    """Lock in id order, so two moves between the same pair of households cannot deadlock."""
    stmt = select(Household.id).where(Household.id.in_(household_ids)).order_by(Household.id).with_for_update()
    await session.execute(stmt)


async def count_active_members(session: AsyncSession, household_id: int) -> int:
    stmt = select(func.count()).where(Member.household_id == household_id, Member.status == MemberStatus.active)
    return int(await session.scalar(stmt) or 0)


async def active_head(session: AsyncSession, household_id: int) -> Member | None:
    stmt = select(Member).where(
        Member.household_id == household_id, Member.status == MemberStatus.active, Member.relation == Relation.head
    )
    return await session.scalar(stmt.limit(1))


async def move_members_region(session: AsyncSession, household_id: int, region_code: str) -> list[int]:
    """Every member of the household follows it, in one statement; returns the ids changed."""
    stmt = (
        update(Member)
        .where(Member.household_id == household_id)
        .values(region_code=region_code, version=Member.version + 1, updated_at=func.now())
        .returning(Member.id)
        .execution_options(synchronize_session=False)
    )
    return list((await session.scalars(stmt)).all())


def member_event_rows(household_id: int) -> Select[*tuple[Any, ...]]:
    """(entity_id, region_code) of the household's members, for set-based events."""
    return select(Member.id.label("entity_id"), Member.region_code).where(Member.household_id == household_id)


async def household_moves(session: AsyncSession, household_id: int) -> Sequence[HouseholdMove]:
    stmt = (
        select(HouseholdMove)
        .where(HouseholdMove.household_id == household_id)
        .order_by(HouseholdMove.moved_on, HouseholdMove.id)
    )
    return (await session.scalars(stmt)).all()


async def member_moves(session: AsyncSession, household_id: int) -> Sequence[MemberMove]:
    stmt = (
        select(MemberMove)
        .where(or_(MemberMove.from_household_id == household_id, MemberMove.to_household_id == household_id))
        .order_by(MemberMove.moved_on, MemberMove.id)
    )
    return (await session.scalars(stmt)).all()


async def assistance_statuses(session: AsyncSession, household_id: int) -> Sequence[AssistanceStatusChange]:
    stmt = (
        select(AssistanceStatusChange)
        .where(AssistanceStatusChange.household_id == household_id)
        .order_by(AssistanceStatusChange.seq)
    )
    return (await session.scalars(stmt)).all()


async def member_exits(session: AsyncSession, household_id: int) -> Sequence[Member]:
    stmt = (
        select(Member)
        .where(Member.household_id == household_id, Member.status != MemberStatus.active)
        .order_by(Member.status_date, Member.id)
    )
    return (await session.scalars(stmt)).all()


async def move_household_records(session: AsyncSession, household_id: int, region_code: str) -> dict[str, int]:
    """Every record that hangs on the household follows it to its new village, so scoping keeps working for the new
    village and the old one loses access: one UPDATE per table that carries household_id and region_code
    (assessments, cases, measures, visits, warnings, discrepancies …), and one per table whose region_code belongs
    to such a record through a foreign key (a town's review of an assessment)."""
    moved: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "member" or "region_code" not in table.c:
            continue
        if "household_id" in table.c:
            belongs = table.c.household_id == household_id
        else:
            parents = [
                fk.parent.in_(select(fk.column).where(fk.column.table.c.household_id == household_id))
                for fk in table.foreign_keys
                if "household_id" in fk.column.table.c and fk.column.table.name != "household"
            ]
            if not parents:
                continue
            belongs = or_(*parents)
        await _relocate(session, table, belongs, {"region_code": region_code}, moved)
    return moved


async def move_member_records(
    session: AsyncSession, member_id: int, household_id: int, region_code: str
) -> dict[str, int]:
    """A person's own records (a department's discrepancy about them …) follow them to their new household and
    village: one UPDATE per table that carries member_id and region_code."""
    moved: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "member" or not {"member_id", "region_code"} <= set(table.c.keys()):
            continue
        values: dict[str, Any] = {"region_code": region_code}
        if "household_id" in table.c:
            values["household_id"] = household_id
        await _relocate(session, table, table.c.member_id == member_id, values, moved)
    return moved


async def _relocate(
    session: AsyncSession, table: Table, belongs: ColumnElement[bool], values: dict[str, Any], moved: dict[str, int]
) -> None:
    """Move the table's rows that belong to the record to values["region_code"], counting them per table."""
    # An UPDATE's result is a CursorResult (it has rowcount); Session.execute is typed to return any Result.
    result = cast(
        CursorResult[Any],
        await session.execute(
            update(table).where(belongs, table.c.region_code != values["region_code"]).values(**values)
        ),
    )
    if result.rowcount:
        moved[table.name] = result.rowcount
