"""Rules about households and problems: housing appraisals, water problems, out-of-pocket medical spending."""

from typing import Any

from sqlalchemy import (
    BigInteger,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import distinct_on

from dixian_shared.auth.principal import under_region
from monitoring_api.households.enums import HouseholdStatus, MemberStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.income.models import HouseholdIncome
from monitoring_api.models import COMMON
from monitoring_api.sector.crosscheck.rules.common import (
    KNOWN,
    RED,
    YELLOW,
    CheckContext,
    department_row,
    h,
    household_key,
    key_household,
    last_row_per,
    obj,
    on_batch,
    r,
)
from monitoring_api.sector.enums import Grade
from monitoring_api.sector.models import staged_row


def house_unsafe(ctx: CheckContext) -> Select[*tuple[Any, ...]]:
    """住房安全: a key household whose latest appraisal in the batch is C or D (it must reach B or better)."""
    holder = Member.__table__.alias("holder")
    appraised = (
        select(staged_row, holder.c.household_id)
        .select_from(staged_row.join(holder, and_(holder.c.id_number == r.id_number, holder.c.status.in_(KNOWN))))
        .where(on_batch(ctx))
        .ext(distinct_on(holder.c.household_id))
        .order_by(holder.c.household_id, r.event_date.desc(), r.part_number.desc(), r.line_number.desc())
        .subquery("appraised")
    )
    return (
        select(
            household_key(h.id).label("subject_key"),
            h.region_code,
            cast(null(), BigInteger).label("member_id"),
            h.id.label("household_id"),
            appraised.c.id_number,
            obj(head_name=h.head_name, household_category=h.category).label("registry_data"),
            department_row(ctx.data_type, appraised.c).label("department_data"),
        )
        .select_from(appraised.join(Household.__table__, h.id == appraised.c.household_id))
        .where(key_household(ctx), appraised.c.code.in_([Grade.c, Grade.d]))
    )


def house_not_appraised(ctx: CheckContext) -> Select[*tuple[Any, ...]]:
    """住房安全: a key household with no appraisal in the batch."""
    holder = Member.__table__.alias("holder")
    appraised = (
        exists()
        .select_from(staged_row.join(holder, holder.c.id_number == r.id_number))
        .where(on_batch(ctx), holder.c.household_id == h.id, holder.c.status.in_(KNOWN))
    )
    return select(
        household_key(h.id).label("subject_key"),
        h.region_code,
        cast(null(), BigInteger).label("member_id"),
        h.id.label("household_id"),
        cast(null(), String).label("id_number"),
        obj(head_name=h.head_name, household_category=h.category).label("registry_data"),
        obj(appraised=false()).label("department_data"),
    ).where(key_household(ctx), ~appraised)


def water_problem_overdue(ctx: CheckContext) -> Select[*tuple[Any, ...]]:
    """饮水安全 动态清零: a problem still unresolved after its deadline (the last row sent for it counts)."""
    problem = last_row_per(r.record_ref, ctx).subquery("problem")
    p = problem.c
    holder = Member.__table__.alias("holder")
    person = (
        select(holder.c.id, holder.c.household_id, holder.c.region_code)
        .where(holder.c.id_number == p.id_number, holder.c.status.in_(KNOWN))
        .order_by((holder.c.status == MemberStatus.active).desc(), holder.c.id.desc())
        .limit(1)
        .lateral("person")
    )
    home = Household.__table__.alias("home")
    region = COMMON.region.alias("given_region")
    return (
        select(
            (literal("problem:") + p.record_ref).label("subject_key"),
            func.coalesce(person.c.region_code, region.c.code, ctx.batch_region).label("region_code"),
            person.c.id.label("member_id"),
            person.c.household_id,
            p.id_number,
            obj(
                in_registry=person.c.id.is_not(None), head_name=home.c.head_name, household_category=home.c.category
            ).label("registry_data"),
            department_row(ctx.data_type, p).label("department_data"),
        )
        .select_from(
            problem.outerjoin(person, true())
            .outerjoin(home, home.c.id == person.c.household_id)
            .outerjoin(region, and_(region.c.code == p.region_code, under_region(region.c.code, ctx.region_prefix)))
        )
        .where(p.resolved_date.is_(None), p.due_date < ctx.as_of)
    )


def out_of_pocket_over_line(ctx: CheckContext) -> Select[*tuple[Any, ...]]:
    """支出线: a household whose 合规自付 in the batch reaches the expenditure line's share of its net income."""
    claim = last_row_per(r.record_ref, ctx).subquery("claim")
    holder = Member.__table__.alias("holder")
    claims = (
        select(
            holder.c.household_id,
            func.sum(claim.c.out_of_pocket).label("out_of_pocket"),
            func.sum(claim.c.amount).label("total_cost"),
            func.count().label("claims"),
        )
        .select_from(claim.join(holder, and_(holder.c.id_number == claim.c.id_number, holder.c.status.in_(KNOWN))))
        .group_by(holder.c.household_id)
        .subquery("claims")
    )
    income_t = HouseholdIncome.__table__.c
    income = (
        select(income_t.year, income_t.net_income)
        .where(income_t.household_id == claims.c.household_id, income_t.year <= ctx.year)
        .order_by(income_t.year.desc())
        .limit(1)
        .lateral("income")
    )
    line = ctx.settings.expenditure_line
    share = claims.c.out_of_pocket / func.nullif(income.c.net_income, 0)
    grade = case(
        (income.c.net_income <= 0, RED),
        (claims.c.out_of_pocket >= income.c.net_income * line.red_share, RED),
        else_=YELLOW,
    )
    return (
        select(
            household_key(h.id).label("subject_key"),
            h.region_code,
            cast(null(), BigInteger).label("member_id"),
            h.id.label("household_id"),
            cast(null(), String).label("id_number"),
            obj(
                head_name=h.head_name,
                household_category=h.category,
                income_year=income.c.year,
                net_income=income.c.net_income,
            ).label("registry_data"),
            obj(
                out_of_pocket=claims.c.out_of_pocket,
                total_cost=claims.c.total_cost,
                claims=claims.c.claims,
                share=func.round(share, 4),
                grade=grade,
            ).label("department_data"),
        )
        .select_from(claims.join(Household.__table__, h.id == claims.c.household_id).join(income, true()))
        .where(
            h.status == HouseholdStatus.active,
            under_region(h.region_code, ctx.region_prefix),
            claims.c.out_of_pocket > 0,
            or_(income.c.net_income <= 0, claims.c.out_of_pocket >= income.c.net_income * line.yellow_share),
        )
    )
