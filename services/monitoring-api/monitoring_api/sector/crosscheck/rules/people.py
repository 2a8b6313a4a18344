"""Rules about people: expected in the batch but missing from it (anti-joins), or on a roll but not alive here."""

from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Select, and_, cast, exists, false, func, null, or_, select, true
from sqlalchemy.dialects.postgresql import distinct_on

from dixian_shared.auth.principal import under_region
from monitoring_api.households.enums import MONITORING_SUBJECTS, HouseholdStatus, MemberStatus, SchoolStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.models import COMMON
from monitoring_api.sector.crosscheck.rules.common import (
    KEY_CATEGORIES,
    KNOWN,
    PAYMENT_ROLLS,
    STUDENTS,
    CheckContext,
    department_row,
    h,
    in_batch,
    m,
    obj,
    on_batch,
    r,
    years_before,
)
from monitoring_api.sector.enums import DataType
from monitoring_api.sector.models import staged_row


def _live_member(ctx: CheckContext) -> ColumnElement[bool]:
    return and_(
        m.status == MemberStatus.active,
        h.status == HouseholdStatus.active,
        under_region(m.region_code, ctx.region_prefix),
    )


def _person(ctx: CheckContext, registry: ColumnElement[Any], where: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """Registry people the rule expects in the batch who are not in it (the anti-join)."""
    return (
        select(
            m.id_number.label("subject_key"),
            m.region_code,
            m.id.label("member_id"),
            m.household_id,
            m.id_number,
            registry.label("registry_data"),
            obj(in_batch=false()).label("department_data"),
        )
        .select_from(Member.__table__.join(Household.__table__, h.id == m.household_id))
        .where(_live_member(ctx), where, ~in_batch(ctx, m.id_number))
    )


def _born_between(ctx: CheckContext, youngest: int, oldest: int) -> ColumnElement[bool]:
    """Aged youngest..oldest full years (inclusive) on the batch's as-of day."""
    return and_(m.birth_date <= years_before(ctx.as_of, youngest), m.birth_date > years_before(ctx.as_of, oldest + 1))


def child_not_enrolled(ctx: CheckContext) -> Select[*tuple[Any, ...]]:
    """控辍保学: a child of compulsory-school age in a monitored or lifted household, not on the enrolment roll."""
    s = ctx.settings
    registry = obj(name=m.name, birth_date=m.birth_date, school_status=m.school_status, household_category=h.category)
    where = and_(
        h.category.in_(KEY_CATEGORIES),
        _born_between(ctx, s.compulsory_school_age_min, s.compulsory_school_age_max),
    )
    return _person(ctx, registry, where)


def student_without_aid(ctx: CheckContext) -> Select[*tuple[Any, ...]]:
    """应助尽助: a student of a monitored or lifted household with no aid payment in the batch."""
    registry = obj(name=m.name, school_status=m.school_status, household_category=h.category)
    return _person(ctx, registry, and_(h.category.in_(KEY_CATEGORIES), m.school_status.in_(STUDENTS)))


def member_not_insured(ctx: CheckContext) -> Select[*tuple[Any, ...]]:
    """参保动态全覆盖: a member of a monitored or lifted household, or on 低保/特困, not enrolled."""
    registry = obj(
        name=m.name, medical_insured=m.medical_insured, household_category=h.category, dibao=m.dibao, tekun=m.tekun
    )
    return _person(ctx, registry, or_(h.category.in_(KEY_CATEGORIES), m.dibao, m.tekun))


def missing_from_roll(ctx: CheckContext) -> Select[*tuple[Any, ...]]:
    """应保尽保: a person the registry shows eligible for this roll who is not on it."""
    registry = obj(name=m.name, birth_date=m.birth_date, dibao=m.dibao, tekun=m.tekun, household_category=h.category)
    s = ctx.settings
    eligible: ColumnElement[bool]
    if ctx.data_type is DataType.dibao_roll:
        eligible = m.dibao.is_(True)
    elif ctx.data_type is DataType.tekun_roll:
        eligible = m.tekun.is_(True)
    else:  # government-paid pension contributions: working-age, not in school, in hardship
        eligible = and_(
            _born_between(ctx, s.pension_contribution_age_min, s.pension_contribution_age_max),
            m.school_status == SchoolStatus.not_student,
            or_(h.category.in_(sorted(MONITORING_SUBJECTS)), m.dibao, m.tekun),
        )
    return _person(ctx, registry, eligible)


def roll_person_dead(ctx: CheckContext) -> Select[*tuple[Any, ...]]:
    """A person on a roll whom the registry records as dead (for payment rolls: paid on or after the death)."""
    dead = Member.__table__.alias("dead")
    alive = exists().where(m.id_number == r.id_number, m.status == MemberStatus.active)
    stmt = (
        select(
            r.id_number.label("subject_key"),
            dead.c.region_code,
            dead.c.id.label("member_id"),
            dead.c.household_id,
            r.id_number,
            obj(name=dead.c.name, status=dead.c.status, status_date=dead.c.status_date).label("registry_data"),
            department_row(ctx.data_type).label("department_data"),
        )
        .select_from(
            staged_row.join(dead, and_(dead.c.id_number == r.id_number, dead.c.status == MemberStatus.deceased))
        )
        .where(on_batch(ctx), ~alive)
        .ext(distinct_on(r.id_number))
        .order_by(r.id_number, dead.c.status_date.desc().nulls_last(), r.part_number.desc(), r.line_number.desc())
    )
    if ctx.data_type in PAYMENT_ROLLS:
        stmt = stmt.where(or_(dead.c.status_date.is_(None), r.event_date >= dead.c.status_date))
    return stmt


def roll_person_unknown(ctx: CheckContext) -> Select[*tuple[Any, ...]]:
    """A person on a roll with no registry entry at all, or only one that moved out of the district."""
    known = exists().where(m.id_number == r.id_number, m.status.in_(KNOWN))
    former_t = Member.__table__.alias("former")
    former = (
        select(former_t.c.id, former_t.c.household_id, former_t.c.region_code, former_t.c.status)
        .where(former_t.c.id_number == r.id_number)
        .order_by(former_t.c.id.desc())
        .limit(1)
        .lateral("former_entry")
    )
    region = COMMON.region.alias("given_region")
    return (
        select(
            r.id_number.label("subject_key"),
            # Routed to the village it last lived in, else where the department places it, else the batch's region.
            func.coalesce(former.c.region_code, region.c.code, ctx.batch_region).label("region_code"),
            cast(null(), BigInteger).label("member_id"),
            cast(null(), BigInteger).label("household_id"),
            r.id_number,
            obj(
                in_registry=false(),
                former_status=former.c.status,
                former_member_id=former.c.id,
                former_household_id=former.c.household_id,
            ).label("registry_data"),
            department_row(ctx.data_type).label("department_data"),
        )
        .select_from(
            staged_row.outerjoin(former, true()).outerjoin(
                region, and_(region.c.code == r.region_code, under_region(region.c.code, ctx.region_prefix))
            )
        )
        .where(on_batch(ctx), ~known)
        .ext(distinct_on(r.id_number))
        .order_by(r.id_number, r.part_number.desc(), r.line_number.desc())
    )
