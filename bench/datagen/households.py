"""One household at a time: the household row, its members' rows and its income rows, as tuples ready for COPY."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bench.datagen import names, people, profile
from bench.datagen.draw import Choice
from bench.datagen.family import Kin, compose
from bench.datagen.idnumbers import IdNumbers
from bench.datagen.income import Earners, incomes
from monitoring_api.households.enums import (
    MONITORING_SUBJECTS,
    Category,
    Health,
    HouseholdStatus,
    LabourSkill,
    MemberStatus,
    Relation,
)

HOUSEHOLD_COLUMNS = (
    "id", "household_number", "region_code", "head_name", "category", "status", "address", "phone",
    "bank_account", "risk_causes", "included_on", "lifted_year", "version",
)  # fmt: skip
MEMBER_COLUMNS = (
    "id", "household_id", "region_code", "id_number", "name", "sex", "birth_date", "relation", "labour_skill",
    "health", "school_status", "education", "medical_insured", "pension_insured", "dibao", "tekun",
    "public_welfare_job", "phone", "status", "status_date", "status_note", "version",
)  # fmt: skip
INCOME_COLUMNS = (
    "id", "household_id", "region_code", "year", "wage_income", "business_income", "property_income",
    "transfer_income", "business_expense", "compliant_out_of_pocket", "household_size", "net_income",
    "per_capita_net_income", "version",
)  # fmt: skip

SIZES = Choice.of(profile.SIZE_WEIGHTS)
BIRTHPLACES = Choice(range(len(profile.BIRTH_PREFIXES)), [w for _, w in profile.BIRTH_PREFIXES])
LIFTED_YEARS = Choice.of(profile.LIFTED_YEARS)
RISK_CAUSES = Choice.of(profile.RISK_CAUSES)
SUDDEN_CAUSES = Choice.of(profile.SUDDEN_CAUSES)
FIRST_VERSION = 1


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    town_name: str
    clan: str | None


@dataclass
class Rows:
    households: list[tuple[Any, ...]] = field(default_factory=list)
    members: list[tuple[Any, ...]] = field(default_factory=list)
    incomes: list[tuple[Any, ...]] = field(default_factory=list)


class HouseholdFactory:
    def __init__(self, rng: random.Random, as_of: date, years: tuple[int, ...], ids: IdNumbers) -> None:
        self.rng = rng
        self.as_of = as_of
        self.years = years
        self.ids = ids

    def _risk_causes(self, category: Category, kin_health: list[Health]) -> list[str]:
        if category not in MONITORING_SUBJECTS:
            return []
        causes: list[str] = []
        if Health.serious in kin_health:
            causes.append("因病")
        if Health.disabled in kin_health:
            causes.append("因残")
        choice = SUDDEN_CAUSES if category == Category.sudden_hardship else RISK_CAUSES
        for _ in range(1 if causes else self.rng.choice((1, 1, 2))):
            cause = choice.pick(self.rng)
            if cause not in causes:
                causes.append(cause)
        return causes[:5]

    def _member(self, kin: Kin, category: Category, family: str, spouse_family: str) -> dict[str, Any]:
        rng = self.rng
        blood = kin.relation not in (Relation.spouse, Relation.daughter_in_law, Relation.son_in_law, Relation.other)
        name = names.full_name(rng, family if blood else spouse_family, kin.male)
        wanted = people.birth_date_for_age(rng, self.as_of, kin.age)
        id_number, birth = self.ids.allocate(BIRTHPLACES.pick(rng), wanted, kin.male)
        age = people.age_on(birth, self.as_of)
        state = people.health(rng, age, category)
        school = people.school_status(rng, age, category, state)
        return {
            "id_number": id_number,
            "name": name,
            "sex": "男" if kin.male else "女",
            "birth_date": birth,
            "age": age,
            "relation": kin.relation,
            "health": state,
            "school": school,
            "labour": people.labour_skill(rng, age, state, school),
            "education": people.education(rng, age, birth.year, school),
            "medical": people.medical_insured(rng, age, category),
            "pension": people.pension_insured(rng, age, school),
            "phone": people.phone(rng)
            if kin.relation == Relation.head or (16 <= age <= 75 and rng.random() < 0.7)
            else None,
            "deceased": kin.relation != Relation.head and age >= 70 and rng.random() < profile.DECEASED_ELDER,
        }

    def make(
        self, rows: Rows, household_id: int, member_id: int, income_id: int, village: Village, category: Category
    ) -> tuple[int, int]:
        """Append one household's rows; return the next free member and income ids."""
        rng = self.rng
        family = names.surname(rng, village.clan)
        spouse_family = names.surname(rng, None)
        members = [self._member(k, category, family, spouse_family) for k in compose(rng, SIZES.pick(rng))]
        head = members[0]
        dibao = rng.random() < profile.DIBAO_HOUSEHOLD[category]
        tekun = (
            not dibao
            and len(members) == 1
            and (head["age"] >= 60 or head["health"] == Health.disabled)
            and head["labour"] in (LabourSkill.lost, LabourSkill.none)
            and rng.random() < profile.TEKUN_SINGLE_ELDER
        )
        welfare_job = -1
        if category != Category.ordinary and rng.random() < profile.PUBLIC_WELFARE_JOB:
            capable = [i for i, m in enumerate(members) if m["labour"].can_work and 35 <= m["age"] <= 65]
            welfare_job = rng.choice(capable) if capable else -1
        subject = category in MONITORING_SUBJECTS
        lifted = category in (Category.lifted, Category.unstable)
        rows.households.append(
            (
                household_id,
                f"{village.code}{household_id:08d}",
                village.code,
                head["name"],
                category.value,
                HouseholdStatus.active.value,
                f"{village.town_name}{village.name}{rng.randint(1, 12)}组{rng.randint(1, 120)}号",
                head["phone"],
                f"6217{rng.randrange(10**15):015d}" if lifted or subject or rng.random() < 0.3 else None,
                self._risk_causes(category, [m["health"] for m in members]),
                self.as_of - timedelta(days=rng.randint(1, 365)) if subject else None,
                LIFTED_YEARS.pick(rng) if lifted else None,
                FIRST_VERSION,
            )
        )
        active = []
        for index, m in enumerate(members):
            died = m["deceased"]
            rows.members.append(
                (
                    member_id,
                    household_id,
                    village.code,
                    m["id_number"],
                    m["name"],
                    m["sex"],
                    m["birth_date"],
                    m["relation"].value,
                    m["labour"].value,
                    m["health"].value,
                    m["school"].value,
                    m["education"].value if m["education"] else None,
                    m["medical"],
                    m["pension"],
                    dibao,
                    tekun,
                    index == welfare_job,
                    m["phone"],
                    (MemberStatus.deceased if died else MemberStatus.active).value,
                    self.as_of - timedelta(days=rng.randint(1, 365)) if died else None,
                    "死亡，户口已注销" if died else None,
                    FIRST_VERSION,
                )
            )
            member_id += 1
            if not died:
                active.append(m)
        who = Earners(
            size=len(active),
            workers=sum(1 for m in active if m["labour"].can_work),
            elders=sum(1 for m in active if m["age"] >= 60),
            seriously_ill=sum(1 for m in active if m["health"] == Health.serious),
            chronically_ill=sum(1 for m in active if m["health"] == Health.chronic),
            studying_away=sum(1 for m in active if m["school"] in people.STUDYING_AWAY),
            supported=dibao or tekun,
        )
        for row in incomes(rng, category, who, self.years):
            rows.incomes.append(
                (
                    income_id,
                    household_id,
                    village.code,
                    row.year,
                    row.wage,
                    row.business,
                    row.property,
                    row.transfer,
                    row.business_expense,
                    row.out_of_pocket,
                    row.size,
                    row.net,
                    row.per_capita,
                    FIRST_VERSION,
                )
            )
            income_id += 1
        return member_id, income_id
