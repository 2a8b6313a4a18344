"""The guarantee line (保障线) from member facts: compulsory schooling and medical insurance."""

from sqlalchemy import ColumnElement, Integer, Select, String, cast, func, literal, select

from monitoring_api.households.enums import HouseholdStatus, MemberStatus, SchoolStatus
from monitoring_api.households.models import Household, Member
from monitoring_api.warnings.conditions.base import RuleContext, Scope, columns, years_before
from monitoring_api.warnings.enums import Grade, Line, SystemRule


def _active_members(scope: Scope) -> Select:
    return (
        select(Member)
        .join(Household, Household.id == Member.household_id)
        .where(scope.households(), Household.status == HouseholdStatus.active, Member.status == MemberStatus.active)
    )


def _member_subject() -> ColumnElement[str]:
    return func.concat("member:", cast(Member.id, String))


def compulsory_education_dropout(scope: Scope, ctx: RuleContext) -> Select:
    """保障线 红色 (控辍保学): a member of compulsory-school age by birth date who is 非在校生."""
    rules = ctx.rules
    born_on_or_before = years_before(ctx.today, rules.compulsory_school_age_min)
    born_after = years_before(ctx.today, rules.compulsory_school_age_max + 1)
    age = cast(func.date_part("year", func.age(literal(ctx.today), Member.birth_date)), Integer)
    data = func.jsonb_build_object(
        "member_id",
        Member.id,
        "name",
        Member.name,
        "birth_date",
        Member.birth_date,
        "age",
        age,
        "school_status",
        Member.school_status,
    )
    cols = columns(
        Member.household_id,
        Household.region_code,
        Line.guarantee,
        Grade.red,
        SystemRule.compulsory_education_dropout,
        _member_subject(),
        data,
    )
    return (
        _active_members(scope)
        .with_only_columns(*cols)
        .where(
            Member.school_status == SchoolStatus.not_student,
            Member.birth_date <= born_on_or_before,
            Member.birth_date > born_after,
        )
    )


def medical_insurance_missing(scope: Scope, ctx: RuleContext) -> Select:
    """保障线 黄色 (参保动态全覆盖): an active member not enrolled in basic medical insurance."""
    data = func.jsonb_build_object("member_id", Member.id, "name", Member.name)
    cols = columns(
        Member.household_id,
        Household.region_code,
        Line.guarantee,
        Grade.yellow,
        SystemRule.medical_insurance_missing,
        _member_subject(),
        data,
    )
    return _active_members(scope).with_only_columns(*cols).where(Member.medical_insured.is_(False))
