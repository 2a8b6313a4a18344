"""Set-based checks of the staged rows against the file itself and the registry; each failure is an error row."""

from sqlalchemy import Text, and_, exists, func, literal, not_, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from dixian_shared.auth.principal import Principal, in_scope, under_region
from monitoring_api.households.enums import MemberStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.imports.staging import STAGING, S, fmt, reject
from monitoring_api.models import COMMON


async def check_regions(session: AsyncSession, principal: Principal, restriction: str | None) -> None:
    """Each row's village is inside the caller's region (and the import's), and is a village of the district."""
    allowed = in_scope(S.region_code, principal)
    reason = fmt("%s 不在您的管辖范围内", S.region_code)
    await reject(session, [S.ok, not_(allowed)], "行政区划代码", reason)
    if restriction is not None:
        inside = under_region(S.region_code, restriction)
        reason = fmt("%s 不在本次导入限定的区划（%s）内", S.region_code, literal(restriction, Text))
        await reject(session, [S.ok, allowed, not_(inside)], "行政区划代码", reason)
        allowed = and_(allowed, inside)
    region = COMMON.region
    village = exists().where(region.c.code == S.region_code, region.c.level == "village")
    reason = fmt("%s 不是本区的村", S.region_code)
    await reject(session, [S.ok, allowed, not_(village)], "行政区划代码", reason)


async def check_people(session: AsyncSession) -> None:
    """A person is in the file once, and not already active in the registry (whoever's village holds them)."""
    repeated = (
        select(S.id_number, func.count().label("times"), func.min(S.row_no).label("first"))
        .where(S.ok)
        .group_by(S.id_number)
        .having(func.count() > 1)
        .subquery("repeated")
    )
    joined = STAGING.join(repeated, repeated.c.id_number == S.id_number)
    reason = fmt("此人在文件中出现 %s 次（首次在第 %s 行）", repeated.c.times, repeated.c.first)
    await reject(session, [S.ok], "证件号码", reason, joined)
    member = Member.__table__
    joined = STAGING.join(member, and_(member.c.id_number == S.id_number, member.c.status == MemberStatus.active.value))
    # Only the village is named: the importer may not be allowed to read the household that holds the person.
    reason = fmt("已在农户库中（%s）", member.c.region_code)
    await reject(session, [S.ok], "证件号码", reason, joined)


async def check_households(session: AsyncSession) -> None:
    """Each 户编号 is new, has exactly one 户主, and its rows agree on the household's own fields."""
    household = Household.__table__
    joined = STAGING.join(household, household.c.household_number == S.household_number)
    reason = fmt("户编号 %s 已在农户库中（农户 %s）", S.household_number, household.c.id)
    await reject(session, [S.ok], "户编号", reason, joined)

    heads = (
        select(S.household_number, func.count().filter(S.is_head).label("heads"), func.min(S.row_no).label("first"))
        .where(S.household_number.is_not(None))
        .group_by(S.household_number)
        .subquery("heads")
    )
    joined = STAGING.join(heads, heads.c.household_number == S.household_number)
    reason = fmt("户 %s 没有户主", S.household_number)
    await reject(session, [heads.c.heads == 0, S.row_no == heads.c.first], "与户主关系", reason, joined)
    reason = fmt("户 %s 有 %s 行户主", S.household_number, heads.c.heads)
    await reject(session, [heads.c.heads > 1, S.is_head], "与户主关系", reason, joined)

    head = (
        select(STAGING)
        .where(S.is_head)
        .ext(distinct_on(S.household_number))
        .order_by(S.household_number, S.row_no)
        .subquery("head")
    )
    joined = STAGING.join(head, head.c.household_number == S.household_number)
    for name, header in (("region_code", "行政区划代码"), ("head_name", "户主姓名"), ("category", "户类型")):
        theirs = head.c[name]
        reason = fmt("与户 %s 的户主行（第 %s 行）不一致（%s）", S.household_number, head.c.row_no, theirs)
        await reject(session, [S.ok, S[name].is_distinct_from(theirs)], header, reason, joined)
