"""Key-group membership queries: what the data shows (member facts, open warnings) and staff marks, as one union."""

from collections.abc import Sequence

from sqlalchemy import BigInteger, ColumnElement, Select, String, Subquery, cast, exists, func, literal, null, select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring_api.households.enums import Category, Health, HouseholdStatus, LabourSkill, MemberStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.warnings.enums import GroupBasis, KeyGroup, Line, Source, SystemRule
from monitoring_api.warnings.models import GroupMark, HouseholdWarning

LIFTED_CATEGORIES = (Category.lifted, Category.unstable)  # 脱贫不稳定户 is a lifted household under monitoring
NO_LABOUR = (LabourSkill.lost, LabourSkill.none)
SEVERE_HEALTH = (Health.serious, Health.disabled)


def _derived(group: KeyGroup, reason: ColumnElement[str], households: ColumnElement[bool]) -> Select:
    return select(
        Household.id.label("household_id"),
        Household.region_code.label("region_code"),
        literal(group.value, String).label("key_group"),
        literal(GroupBasis.derived.value, String).label("basis"),
        reason.label("reason"),
        cast(null(), BigInteger).label("mark_id"),
    ).where(households, Household.status == HouseholdStatus.active)


def _member_exists(*criteria: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Member.household_id == Household.id, Member.status == MemberStatus.active, *criteria)


def _from_open_warnings(
    group: KeyGroup, label: str, households: ColumnElement[bool], *criteria: ColumnElement[bool]
) -> Select:
    warning = HouseholdWarning
    reason = func.concat(label, func.string_agg(warning.rule.distinct(), literal(", ", String)))
    return (
        _derived(group, reason, households)
        .join(warning, warning.household_id == Household.id)
        .where(warning.resolved_at.is_(None), *criteria)
        .group_by(Household.id, Household.region_code)
    )


def memberships(households: ColumnElement[bool]) -> Subquery:
    """(household_id, region_code, key_group, basis, reason, mark_id) for every reason a household is in a group."""
    warning = HouseholdWarning
    below = _derived(
        KeyGroup.low_income,
        func.concat(
            "人均纯收入",
            warning.data["per_capita_net_income"].astext,
            "元，低于",
            warning.data["year"].astext,
            "年监测范围",
            warning.data["threshold"].astext,
            "元",
        ),
        households,
    ).join(
        warning,
        (warning.household_id == Household.id)
        & (warning.rule == SystemRule.income_below_threshold.value)
        # The registry's own income or the one the province verified: either below the line makes it 低收入农户.
        & warning.source.in_([Source.system.value, Source.province.value])
        & warning.resolved_at.is_(None),
    )
    marks = (
        select(
            Household.id,
            Household.region_code,
            GroupMark.key_group,
            literal(GroupBasis.manual.value, String),
            GroupMark.reason,
            GroupMark.id,
        )
        .join(GroupMark, GroupMark.household_id == Household.id)
        .where(households, Household.status == HouseholdStatus.active, GroupMark.ended_at.is_(None))
    )
    parts = [
        _derived(KeyGroup.lifted, func.concat("户类别为", Household.category), households).where(
            Household.category.in_(LIFTED_CATEGORIES)
        ),
        below,
        _derived(KeyGroup.dibao_tekun, literal("家庭成员享受农村低保或特困供养", String), households).where(
            _member_exists(Member.dibao.is_(True) | Member.tekun.is_(True))
        ),
        _from_open_warnings(
            KeyGroup.guarantee_problem, "保障线预警未解除：", households, warning.line == Line.guarantee
        ),
        _derived(KeyGroup.special_hardship, literal("家庭成员患有大病或残疾且无劳动能力", String), households).where(
            _member_exists(Member.health.in_(SEVERE_HEALTH), Member.labour_skill.in_(NO_LABOUR))
        ),
        _from_open_warnings(
            KeyGroup.rigid_spending_or_drop,
            "刚性支出或收入骤减预警未解除：",
            households,
            (warning.line == Line.expenditure) | (warning.rule == SystemRule.income_sharp_drop.value),
        ),
        marks,
    ]
    return parts[0].union_all(*parts[1:]).subquery("membership")


async def household_memberships(session: AsyncSession, household_id: int) -> Sequence[tuple[str, str, str, int | None]]:
    membership = memberships(Household.id == household_id)
    stmt = select(membership.c.key_group, membership.c.basis, membership.c.reason, membership.c.mark_id)
    return [tuple(row) for row in (await session.execute(stmt)).all()]


async def open_mark(session: AsyncSession, household_id: int, group: KeyGroup) -> GroupMark | None:
    stmt = select(GroupMark).where(
        GroupMark.household_id == household_id, GroupMark.key_group == group, GroupMark.ended_at.is_(None)
    )
    return await session.scalar(stmt)


async def get_mark(session: AsyncSession, household_id: int, mark_id: int) -> GroupMark | None:
    stmt = select(GroupMark).where(GroupMark.household_id == household_id, GroupMark.id == mark_id)
    return await session.scalar(stmt.with_for_update())
