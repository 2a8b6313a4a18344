"""A member's facts by age and household category: health, labour skill, school status, education, insurance."""

import random
from datetime import date, timedelta

from bench.datagen import profile
from bench.datagen.draw import Choice
from monitoring_api.households.enums import Category, Education, Health, LabourSkill, SchoolStatus

AGE15 = Choice.of({SchoolStatus.junior: 0.55, SchoolStatus.senior: 0.30, SchoolStatus.vocational: 0.15})
AGE16_18 = Choice.of({SchoolStatus.senior: 0.55, SchoolStatus.vocational: 0.28, SchoolStatus.not_student: 0.17})
AGE19_22 = Choice.of(
    {SchoolStatus.higher_vocational: 0.22, SchoolStatus.undergraduate: 0.18, SchoolStatus.not_student: 0.60}
)
# 文化程度 of adults no longer at school, by birth cohort.
COHORTS: tuple[tuple[int, Choice[Education]], ...] = (
    (
        1955,
        Choice.of(
            {Education.illiterate: 0.35, Education.primary: 0.45, Education.junior: 0.17, Education.senior: 0.03}
        ),
    ),
    (
        1975,
        Choice.of(
            {
                Education.illiterate: 0.08,
                Education.primary: 0.40,
                Education.junior: 0.40,
                Education.senior: 0.08,
                Education.technical: 0.03,
                Education.college: 0.01,
            }
        ),
    ),
    (
        1995,
        Choice.of(
            {
                Education.primary: 0.15,
                Education.junior: 0.55,
                Education.senior: 0.15,
                Education.technical: 0.08,
                Education.college: 0.07,
            }
        ),
    ),
    (
        9999,
        Choice.of(
            {
                Education.junior: 0.40,
                Education.senior: 0.25,
                Education.technical: 0.12,
                Education.college: 0.23,
            }
        ),
    ),
)
COMPLETED_BEFORE = {
    SchoolStatus.junior: Education.primary,
    SchoolStatus.senior: Education.junior,
    SchoolStatus.vocational: Education.junior,
    SchoolStatus.higher_vocational: Education.senior,
    SchoolStatus.undergraduate: Education.senior,
}
STUDYING_AWAY = frozenset(
    {SchoolStatus.senior, SchoolStatus.vocational, SchoolStatus.higher_vocational, SchoolStatus.undergraduate}
)


def birth_date_for_age(rng: random.Random, as_of: date, age: int) -> date:
    """A birth date at which the person is exactly `age` on `as_of`."""
    try:
        birthday = as_of.replace(year=as_of.year - age)
    except ValueError:  # 29 February
        birthday = as_of.replace(year=as_of.year - age, day=28)
    return birthday - timedelta(days=rng.randrange(365))


def age_on(birth: date, as_of: date) -> int:
    return as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))


def health(rng: random.Random, age: int, category: Category) -> Health:
    factor = profile.HARDSHIP_FACTOR[category]
    disabled = (0.015 + (0.02 if age >= 60 else 0.0)) * factor
    serious = (0.003 + (0.008 if age >= 50 else 0.0)) * factor
    chronic = (0.02 if age < 30 else 0.06 if age < 50 else 0.15 if age < 65 else 0.28) * factor
    draw = rng.random()
    if draw < disabled:
        return Health.disabled
    if draw < disabled + serious:
        return Health.serious
    if draw < disabled + serious + chronic:
        return Health.chronic
    return Health.healthy


def school_status(rng: random.Random, age: int, category: Category, state: Health) -> SchoolStatus:
    if age < 6:
        return SchoolStatus.preschool
    if age <= 15:
        dropout = profile.OUT_OF_SCHOOL[category] * (10 if state == Health.disabled else 1)
        if rng.random() < dropout:
            return SchoolStatus.not_student
        if age <= 11:
            return SchoolStatus.primary
        return SchoolStatus.junior if age <= 14 else AGE15.pick(rng)
    if age <= 18:
        return AGE16_18.pick(rng)
    if age <= 22:
        return AGE19_22.pick(rng)
    return SchoolStatus.not_student


def labour_skill(rng: random.Random, age: int, state: Health, school: SchoolStatus) -> LabourSkill:
    if age < 16 or school in STUDYING_AWAY:
        return LabourSkill.none
    ill = state in (Health.disabled, Health.serious)
    draw = rng.random()
    if age >= 65:
        return LabourSkill.none if ill or draw < 0.7 else LabourSkill.weak
    if ill:
        return LabourSkill.lost if draw < 0.5 else LabourSkill.weak
    if state == Health.chronic:
        return LabourSkill.weak if draw < 0.5 else LabourSkill.ordinary
    if age >= 60:
        return LabourSkill.skilled if draw < 0.05 else LabourSkill.ordinary if draw < 0.6 else LabourSkill.weak
    return LabourSkill.skilled if draw < 0.18 else LabourSkill.ordinary if draw < 0.96 else LabourSkill.weak


def education(rng: random.Random, age: int, birth_year: int, school: SchoolStatus) -> Education | None:
    if school in COMPLETED_BEFORE:
        return COMPLETED_BEFORE[school]
    if school in (SchoolStatus.preschool, SchoolStatus.primary):
        return None
    if age < 16:  # out of school early
        return Education.primary if age >= 12 else None
    for until, choice in COHORTS:
        if birth_year < until:
            return choice.pick(rng)
    return None  # unreachable: the last cohort is open-ended


def medical_insured(rng: random.Random, age: int, category: Category) -> bool:
    share = profile.MEDICAL_INSURED[category] * (0.85 if age < 1 else 1.0)
    return rng.random() < share


def pension_insured(rng: random.Random, age: int, school: SchoolStatus) -> bool:
    if age >= 60:
        return rng.random() < 0.95
    if age >= 16 and school == SchoolStatus.not_student:
        return rng.random() < 0.80
    return False


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
