"""Every cross-check rule of DOMAIN.md's table, against the real registry: what it flags, and what it must not."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conftest import DISTRICT, OTHER_VILLAGE, VILLAGE
from monitoring_api.deps import get_today
from monitoring_api.income.models import HouseholdIncome
from monitoring_api.models import COMMON
from monitoring_api.rules import ExpenditureLine, RuleSettings
from monitoring_api.warnings.models import HouseholdWarning

from .test_sector_helpers import (
    TODAY,
    add_household,
    department_key,
    discrepancies,
    person,
    pid,
    push,
    run_job,
    set_member_status,
)

Tokens = Callable[..., dict[str, str]]
Sessions = Callable[..., AsyncSession]


@pytest.fixture(autouse=True)
def fixed_today(monitoring_app: FastAPI) -> None:
    monitoring_app.dependency_overrides[get_today] = lambda: TODAY  # 2024-06-15


async def _check(
    monitoring: httpx.AsyncClient,
    session_on: Sessions,
    data_type: str,
    rows: list[dict[str, str]],
    rules: RuleSettings | None = None,
) -> int:
    key = await department_key(session_on, data_type)
    batch_id, _ = await push(monitoring, key, data_type, rows)
    assert await run_job(session_on, batch_id, rules) == "已完成"
    return batch_id


async def _flagged(session_on: Sessions, rule: str) -> set[str]:
    return {d.subject_key for d in await discrepancies(session_on, rule=rule, status="待核实")}


async def test_a_child_of_school_age_missing_from_the_enrolment_roll(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    turns_6_today, not_yet_6 = pid("20180615"), pid("20180616")
    still_15, turned_16 = pid("20080616"), pid("20080615")
    enrolled, ordinary_child, borderline_child = pid("20140301"), pid("20140301"), pid("20120101")
    await add_household(
        monitoring,
        token_for,
        [person(pid("19800101"))]
        + [person(n, relation="之子") for n in (turns_6_today, not_yet_6, still_15, turned_16, enrolled)],
    )
    await add_household(monitoring, token_for, [person(ordinary_child)], category="一般农户")
    await add_household(monitoring, token_for, [person(borderline_child)], category="边缘易致贫户")
    roll = [
        {"id_number": enrolled, "stage": "小学", "school": "谢岗小学"},
        {"id_number": pid("20150101"), "stage": "小学"},
    ]

    await _check(monitoring, session_on, "education_enrolment", roll)
    assert await _flagged(session_on, "child_not_enrolled") == {turns_6_today, still_15, borderline_child}
    found = (await discrepancies(session_on, subject_key=still_15))[0]
    assert (found.department, found.data_type, found.region_code) == ("区社管局", "education_enrolment", VILLAGE)
    assert found.registry_data["birth_date"] == "2008-06-16"
    assert found.registry_data["household_category"] == "脱贫户"
    assert found.department_data == {"in_batch": False}

    # The age range is configuration: up to 16 flags the 16-year-old too, and nobody twice.
    wider = RuleSettings(compulsory_school_age_max=16)
    await _check(monitoring, session_on, "education_enrolment", roll, wider)
    assert await _flagged(session_on, "child_not_enrolled") == {turns_6_today, still_15, borderline_child, turned_16}


async def test_an_eligible_student_with_no_aid(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    aided, unaided, adult, ordinary = pid("20100101"), pid("20070101"), pid("19800101"), pid("20070101")
    await add_household(
        monitoring,
        token_for,
        [person(adult), person(aided, school_status="初中"), person(unaided, school_status="高中")],
        category="脱贫不稳定户",
    )
    await add_household(monitoring, token_for, [person(ordinary, school_status="高中")], category="一般农户")
    payment = {"id_number": aided, "aid_type": "义务教育寄宿生生活补助", "amount": "625.00", "paid_on": "2024-05-20"}
    await _check(monitoring, session_on, "student_aid", [payment])
    assert await _flagged(session_on, "student_without_aid") == {unaided}


async def test_a_member_not_insured(monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions) -> None:
    insured, uninsured, dead = pid("19700101"), pid("19720101"), pid("19400101")
    on_dibao, ordinary = pid("19500101"), pid("19600101")
    await add_household(monitoring, token_for, [person(insured), person(uninsured), person(dead)])
    await add_household(monitoring, token_for, [person(on_dibao, dibao=True), person(ordinary)], category="一般农户")
    await set_member_status(session_on, dead, "死亡", date(2024, 1, 1))
    rows = [{"id_number": insured, "scheme": "城乡居民基本医疗保险", "enrolled_on": "2024-01-01"}]
    await _check(monitoring, session_on, "medical_enrolment", rows)
    assert await _flagged(session_on, "member_not_insured") == {uninsured, on_dibao}


async def _income(session_on: Sessions, household: dict, net: str, year: int = 2024) -> None:
    async with session_on(COMMON) as session:
        session.add(
            HouseholdIncome(
                household_id=household["id"],
                region_code=household["region_code"],
                year=year,
                wage_income=Decimal(net),
                household_size=2,
                net_income=Decimal(net),
                per_capita_net_income=Decimal(net) / 2,
                version=1,
            )
        )
        await session.commit()


def _claim(id_number: str, claim_no: str, out_of_pocket: str, total: str = "9000") -> dict[str, str]:
    return {
        "id_number": id_number,
        "claim_no": claim_no,
        "settled_on": "2024-04-01",
        "total_cost": total,
        "out_of_pocket": out_of_pocket,
    }


async def _warnings(session_on: Sessions, household_id: int) -> list[HouseholdWarning]:
    async with session_on(COMMON) as session:
        stmt = (
            select(HouseholdWarning).where(HouseholdWarning.household_id == household_id).order_by(HouseholdWarning.id)
        )
        return list((await session.scalars(stmt)).all())


async def test_out_of_pocket_over_the_expenditure_line_raises_a_warning(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    a, b, c, d = pid("19700101"), pid("19700101"), pid("19700101"), pid("19700101")
    yellow = await add_household(monitoring, token_for, [person(a)], category="一般农户")
    red = await add_household(monitoring, token_for, [person(b)])
    low = await add_household(monitoring, token_for, [person(c)])
    await add_household(monitoring, token_for, [person(d)])  # no income record: the line cannot be drawn
    for household in (yellow, red, low):
        await _income(session_on, household, "10000")
    claims = [
        _claim(a, "C1", "2000"),
        _claim(a, "C2", "1500"),
        _claim(a, "C2", "1500"),  # the same claim sent twice counts once: 3,500 = 35 %
        _claim(b, "C3", "6000"),  # 60 %
        _claim(c, "C4", "1000"),  # 10 %
        _claim(d, "C5", "8000"),
    ]
    await _check(monitoring, session_on, "medical_claim", claims)
    found = {x.household_id: x for x in await discrepancies(session_on, rule="out_of_pocket_over_line")}
    assert set(found) == {yellow["id"], red["id"]}
    assert found[yellow["id"]].department_data["grade"] == "黄色"
    assert found[yellow["id"]].department_data["out_of_pocket"] == 3500
    assert found[yellow["id"]].department_data["share"] == 0.35
    assert found[red["id"]].department_data["grade"] == "红色"
    (warning,) = await _warnings(session_on, red["id"])
    assert (warning.line, warning.grade, warning.source, warning.resolved_at) == (
        "支出线",
        "红色",
        "区医保分中心",
        None,
    )
    assert [w.grade for w in await _warnings(session_on, yellow["id"])] == ["黄色"]
    assert await _warnings(session_on, low["id"]) == []

    # A later year-to-date batch: the yellow household is now red, the red one back under the line.
    later = [_claim(a, "C1", "2000"), _claim(a, "C6", "4000"), _claim(b, "C3", "1000")]
    await _check(monitoring, session_on, "medical_claim", later)
    assert [(w.grade, w.resolved_at is None) for w in await _warnings(session_on, yellow["id"])] == [
        ("黄色", False),
        ("红色", True),
    ]
    assert [w.resolved_at is None for w in await _warnings(session_on, red["id"])] == [False]
    (closed,) = await discrepancies(session_on, household_id=red["id"])
    assert closed.status == "已处理"
    assert len(await discrepancies(session_on, household_id=yellow["id"])) == 1

    # The shares are configuration: at 70 % only a red line remains for the first household.
    strict = RuleSettings(expenditure_line=ExpenditureLine(yellow_share=Decimal("0.70"), red_share=Decimal("0.90")))
    await _check(monitoring, session_on, "medical_claim", later, strict)
    assert await discrepancies(session_on, rule="out_of_pocket_over_line", status="待核实") == []


async def test_a_key_household_with_an_unsafe_or_no_appraisal(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    graded_c = await add_household(monitoring, token_for, [person(pid()), person(c_member := pid())])
    graded_a = await add_household(monitoring, token_for, [person(a_head := pid())], category="突发严重困难户")
    never = await add_household(monitoring, token_for, [person(pid())])
    await add_household(monitoring, token_for, [person(pid())], category="一般农户")
    repaired = await add_household(monitoring, token_for, [person(r_head := pid())])

    def appraisal(id_number: str, grade: str, on: str) -> dict[str, str]:
        return {"id_number": id_number, "grade": grade, "appraised_on": on, "appraisal_no": f"J{grade}{on}"}

    rows = [
        appraisal(c_member, "C", "2024-03-01"),  # any member of the household identifies it
        appraisal(a_head, "A", "2024-03-01"),
        appraisal(r_head, "D", "2023-05-01"),
        appraisal(r_head, "B", "2024-04-01"),  # the latest appraisal counts
    ]
    await _check(monitoring, session_on, "housing_appraisal", rows)
    assert await _flagged(session_on, "house_unsafe") == {f"household:{graded_c['id']}"}
    assert await _flagged(session_on, "house_not_appraised") == {f"household:{never['id']}"}
    (unsafe,) = await discrepancies(session_on, rule="house_unsafe")
    assert unsafe.department_data["grade"] == "C"
    assert unsafe.department_data["appraised_on"] == "2024-03-01"
    assert graded_a["id"] not in {d.household_id for d in await discrepancies(session_on)}
    assert repaired["id"] not in {d.household_id for d in await discrepancies(session_on)}


async def test_an_unresolved_water_problem_past_its_deadline(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    household = await add_household(monitoring, token_for, [person(member := pid())], category="一般农户")

    def problem(no: str, deadline: str, resolved: str = "", **extra: str) -> dict[str, str]:
        row = {"problem_no": no, "id_number": member, "region_code": "", "description": "水质浑浊"}
        row |= {"reported_on": "2024-04-01", "deadline": deadline, "resolved_on": resolved, **extra}
        return row

    rows = [
        problem("P1", "2024-06-01"),
        problem("P2", "2024-06-01", "2024-05-20"),
        problem("P3", "2024-07-01"),
        problem("P4", "2024-05-01", id_number=pid(), region_code=OTHER_VILLAGE),  # a person not in the registry
        problem("P5", "2024-05-01"),
        problem("P5", "2024-05-01", "2024-05-02"),  # its later row says it was resolved
    ]
    await _check(monitoring, session_on, "water_problem", rows)
    found = {d.subject_key: d for d in await discrepancies(session_on, rule="water_problem_overdue")}
    assert set(found) == {"problem:P1", "problem:P4"}
    assert (found["problem:P1"].household_id, found["problem:P1"].region_code) == (household["id"], VILLAGE)
    assert found["problem:P1"].department_data["deadline"] == "2024-06-01"
    assert (found["problem:P4"].household_id, found["problem:P4"].region_code) == (None, OTHER_VILLAGE)


async def test_safety_net_rolls_missing_dead_and_unknown_people(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    listed, missing, dead, departed = pid("19500101"), pid("19520101"), pid("19300101"), pid("19600101")
    await add_household(
        monitoring,
        token_for,
        [person(listed, dibao=True), person(missing, dibao=True), person(dead, dibao=True), person(departed)],
        category="一般农户",
        region_code=OTHER_VILLAGE,
    )
    await set_member_status(session_on, dead, "死亡", date(2024, 2, 1))
    await set_member_status(session_on, departed, "迁出", date(2024, 2, 1))
    stranger = pid("19550101")
    roll = [{"id_number": n, "since": "2020-01-01", "amount": "560"} for n in (listed, dead, departed, stranger)]
    await _check(monitoring, session_on, "dibao_roll", roll)
    assert await _flagged(session_on, "missing_from_roll") == {missing}
    assert await _flagged(session_on, "roll_person_dead") == {dead}
    unknown = {d.subject_key: d for d in await discrepancies(session_on, rule="roll_person_unknown")}
    assert set(unknown) == {departed, stranger}
    assert unknown[departed].region_code == OTHER_VILLAGE  # routed to where the person last lived
    assert unknown[departed].registry_data["former_status"] == "迁出"
    assert unknown[stranger].region_code == DISTRICT  # nowhere known: the batch's own region
    assert unknown[stranger].department_data["amount"] == 560


async def test_tekun_and_temporary_assistance_rolls(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    cared_for, died = pid("19400101"), pid("19350101")
    await add_household(monitoring, token_for, [person(cared_for, tekun=True), person(died)], category="一般农户")
    await set_member_status(session_on, died, "死亡", date(2024, 3, 1))
    await _check(monitoring, session_on, "tekun_roll", [{"id_number": pid()}])
    assert cared_for in await _flagged(session_on, "missing_from_roll")

    before_death = {"id_number": died, "paid_on": "2024-02-01", "amount": "800"}
    await _check(monitoring, session_on, "temporary_assistance_roll", [before_death])
    assert await discrepancies(session_on, data_type="temporary_assistance_roll") == []
    after_death = {"id_number": died, "paid_on": "2024-04-01", "amount": "800"}
    await _check(monitoring, session_on, "temporary_assistance_roll", [before_death, after_death])
    (paid_dead,) = await discrepancies(session_on, data_type="temporary_assistance_roll")
    assert (paid_dead.rule, paid_dead.department_data["paid_on"]) == ("roll_person_dead", "2024-04-01")


async def test_government_paid_pension_contributions(
    monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    paid, unpaid, aged_60, pupil = pid("19900101"), pid("19850101"), pid("19640101"), pid("20070101")
    lifted_adult = pid("19880101")
    await add_household(
        monitoring,
        token_for,
        [person(paid), person(unpaid), person(aged_60), person(pupil, school_status="高中")],
        category="边缘易致贫户",
    )
    await add_household(monitoring, token_for, [person(lifted_adult)])  # 脱贫户 without 低保/特困: not eligible
    rows = [{"id_number": paid, "paid_on": "2024-03-01", "amount": "200"}]
    await _check(monitoring, session_on, "pension_contribution", rows)
    assert await _flagged(session_on, "missing_from_roll") == {unpaid}
    # The age range is configuration: up to 60 adds the 60-year-old.
    await _check(monitoring, session_on, "pension_contribution", rows, RuleSettings(pension_contribution_age_max=60))
    assert await _flagged(session_on, "missing_from_roll") == {unpaid, aged_60}
