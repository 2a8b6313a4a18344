"""Microcredit loans: the rules of DOMAIN.md, each refusal naming its rule with nothing written; the registry is the
real monitoring app, read over HTTP with a service key."""

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from conftest import OTHER_TOWN_VILLAGE, OTHER_VILLAGE, TOWN, VILLAGE
from funds_api.credit.models import Loan, LoanInstallment
from funds_api.models import COMMON
from funds_api.rules import CreditRules, FundsRules

from .funds_support import Sessions, Tokens, count, linked_funds, person_id, register_person

LOAN_DAY = date(2024, 3, 15)


def loan_body(id_number: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "borrower_id_number": id_number,
        "bank": "赣州农商银行潭口支行",
        "contract_number": f"XD-{id_number[-6:]}-{overrides.get('amount', '50000')}",
        "amount": "50000",
        "annual_rate": "0.0310",
        "term_months": 36,
        "loan_date": LOAN_DAY.isoformat(),
        "purpose": "养殖业",
        "purpose_note": "养殖肉牛",
    }
    body.update(overrides)
    return body


def birthday_years_before(day: date, years: int, days_later: int = 0) -> date:
    return date(day.year - years, day.month, day.day + days_later)


@pytest.fixture
async def linked(service_settings, connection: AsyncConnection, monitoring_app: FastAPI, session_on: Sessions):  # type: ignore[no-untyped-def]
    async with linked_funds(service_settings, connection, monitoring_app, session_on, today=date(2024, 4, 1)) as pair:
        yield pair


async def test_a_loans_create_answers_its_numbers_as_its_reads_do(
    linked: tuple[httpx.AsyncClient, FastAPI], monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    funds, _ = linked
    number = (await register_person(monitoring, token_for, birth=date(1984, 5, 2)))["members"][0]["id_number"]
    village = token_for("village", VILLAGE)
    response = await funds.post("/loans", json=loan_body(number, annual_rate="0.031", amount="5E+4"), headers=village)
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["annual_rate"], created["amount"]) == ("0.0310", "50000.00")
    read = (await funds.get(f"/loans/{created['id']}", headers=village)).json()
    assert (read["annual_rate"], read["amount"]) == (created["annual_rate"], created["amount"])


async def test_a_loan_to_a_lifted_household_is_recorded_with_its_schedule(
    linked: tuple[httpx.AsyncClient, FastAPI], monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    funds, _ = linked
    household = await register_person(monitoring, token_for, birth=date(1984, 5, 2), name="王大牛")
    number = household["members"][0]["id_number"]
    response = await funds.post("/loans", json=loan_body(number), headers=token_for("village", VILLAGE))
    assert response.status_code == 201, response.text
    loan = response.json()
    assert response.headers["ETag"] == '"1"'
    assert (loan["region_code"], loan["household_id"], loan["borrower_name"]) == (VILLAGE, household["id"], "王大牛")
    assert (loan["household_category"], loan["status"], loan["maturity_date"]) == ("脱贫户", "在贷", "2027-03-15")
    schedule = loan["schedule"]
    # Quarterly interest, principal at maturity: 12 instalments, 3.10%/360 per actual day on 50,000.
    assert len(schedule) == 12
    assert schedule[0]["due_on"] == "2024-06-15"
    assert Decimal(schedule[0]["interest_due"]) == (Decimal(50000) * Decimal("0.0310") * 92 / 360).quantize(
        Decimal("0.01")
    )
    assert sum(Decimal(line["principal_due"]) for line in schedule) == Decimal(50000)
    assert Decimal(schedule[-1]["principal_due"]) == Decimal(50000)
    assert not any(line["paid"] for line in schedule)
    assert Decimal(loan["outstanding"]) == Decimal(50000)

    audit = await funds.get(
        "/audit", params={"entity": "loan", "entity_id": str(loan["id"])}, headers=token_for("district", "360702000000")
    )
    assert audit.status_code == 200
    town_view = await funds.get(f"/loans/{loan['id']}", headers=token_for("town", TOWN))
    assert town_view.status_code == 200
    other_village = await funds.get(f"/loans/{loan['id']}", headers=token_for("village", OTHER_VILLAGE))
    assert other_village.status_code == 404


async def _refused(
    funds: httpx.AsyncClient, session_on: Sessions, headers: dict[str, str], body: dict[str, Any], rule: str
) -> dict[str, Any]:
    response = await funds.post("/loans", json=body, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    problem = response.json()
    assert problem["rule"] == rule, problem
    session = session_on(COMMON)
    assert await count(session, Loan) == 0
    assert await count(session, LoanInstallment) == 0
    return problem


async def test_the_microcredit_rules_refuse_with_the_rule_named_and_nothing_written(
    linked: tuple[httpx.AsyncClient, FastAPI], monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    funds, _ = linked
    headers = token_for("village", VILLAGE)
    adult = (await register_person(monitoring, token_for, birth=date(1980, 1, 1)))["members"][0]["id_number"]

    over = await _refused(funds, session_on, headers, loan_body(adult, amount="50000.01"), "microcredit-max-amount")
    assert over["errors"][0]["field"] == "body.amount"
    assert "50000" in over["detail"]
    await _refused(funds, session_on, headers, loan_body(adult, term_months=37), "microcredit-max-term")
    await _refused(funds, session_on, headers, loan_body(adult, purpose="生活消费"), "microcredit-production-purpose")
    await _refused(funds, session_on, headers, loan_body(adult, purpose="入股企业"), "microcredit-production-purpose")
    await _refused(funds, session_on, headers, loan_body(adult, purpose="转贷他人"), "microcredit-production-purpose")
    await _refused(funds, session_on, headers, loan_body(adult, annual_rate="0.0311"), "microcredit-rate-cap")

    # 66 on the loan date (the birthday itself counts) is refused; the day before that birthday, 65, is not.
    sixty_six = birthday_years_before(LOAN_DAY, 66)
    old = (await register_person(monitoring, token_for, birth=sixty_six))["members"][0]["id_number"]
    problem = await _refused(funds, session_on, headers, loan_body(old), "microcredit-borrower-age")
    assert problem["params"]["age"] == 66
    assert "66" in problem["detail"] and "18–65" in problem["detail"]
    seventeen = await register_person(monitoring, token_for, birth=birthday_years_before(LOAN_DAY, 18, 1))
    await _refused(
        funds, session_on, headers, loan_body(seventeen["members"][0]["id_number"]), "microcredit-borrower-age"
    )

    ordinary = await register_person(monitoring, token_for, birth=date(1980, 1, 1), category="一般农户")
    await _refused(
        funds, session_on, headers, loan_body(ordinary["members"][0]["id_number"]), "microcredit-borrower-eligible"
    )
    almost = await register_person(monitoring, token_for, birth=birthday_years_before(LOAN_DAY, 66, 1))
    accepted = await funds.post("/loans", json=loan_body(almost["members"][0]["id_number"]), headers=headers)
    assert accepted.status_code == 201, accepted.text


async def test_the_limit_counts_what_the_household_still_owes(
    linked: tuple[httpx.AsyncClient, FastAPI], monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    funds, _ = linked
    headers = token_for("village", VILLAGE)
    number = (await register_person(monitoring, token_for, birth=date(1980, 1, 1)))["members"][0]["id_number"]
    first = await funds.post("/loans", json=loan_body(number, amount="30000"), headers=headers)
    assert first.status_code == 201
    second = await funds.post("/loans", json=loan_body(number, amount="20000.01"), headers=headers)
    assert second.json()["rule"] == "microcredit-max-amount"
    assert await count(session_on(COMMON), Loan) == 1
    repaid = await funds.post(
        f"/loans/{first.json()['id']}/repayments",
        json={"paid_on": "2024-03-20", "principal": "0.01", "interest": "0"},
        headers=headers,
    )
    assert repaid.status_code == 201, repaid.text
    fits = await funds.post("/loans", json=loan_body(number, amount="20000.01"), headers=headers)
    assert fits.status_code == 201, fits.text


async def test_the_registry_decides_who_may_borrow_and_where(
    linked: tuple[httpx.AsyncClient, FastAPI], monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    funds, _ = linked
    household = await register_person(monitoring, token_for, birth=date(1980, 1, 1), category="边缘易致贫户")
    member = household["members"][0]
    other = token_for("village", OTHER_TOWN_VILLAGE)
    hidden = await funds.post("/loans", json=loan_body(member["id_number"]), headers=other)
    assert hidden.status_code == 404
    unknown = await funds.post(
        "/loans", json=loan_body(person_id(date(1980, 1, 1))), headers=token_for("village", VILLAGE)
    )
    assert unknown.status_code == 404

    village = token_for("village", VILLAGE)
    read = await monitoring.get(f"/members/{member['id']}", headers=village)
    died = await monitoring.post(
        f"/members/{member['id']}/death",
        json={"died_on": "2024-03-01"},
        headers={**village, "If-Match": read.headers["ETag"]},
    )
    assert died.status_code == 200, died.text
    await _refused(funds, session_on, village, loan_body(member["id_number"]), "microcredit-borrower-registered")


async def test_each_limit_is_configuration(
    service_settings,  # type: ignore[no-untyped-def]
    connection: AsyncConnection,
    monitoring_app: FastAPI,
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    rules = FundsRules(
        credit=CreditRules(
            max_amount=Decimal("60000"), max_term_months=48, borrower_max_age=70, eligible_categories=["一般农户"]
        )
    )
    async with linked_funds(
        service_settings, connection, monitoring_app, session_on, today=date(2024, 4, 1), rules=rules
    ) as (funds, _):
        headers = token_for("village", VILLAGE)
        old = await register_person(
            monitoring, token_for, birth=birthday_years_before(LOAN_DAY, 66), category="一般农户"
        )
        body = loan_body(old["members"][0]["id_number"], amount="55000", term_months=48)
        assert (await funds.post("/loans", json=body, headers=headers)).status_code == 201
        lifted = await register_person(monitoring, token_for, birth=date(1980, 1, 1))
        refused = await funds.post("/loans", json=loan_body(lifted["members"][0]["id_number"]), headers=headers)
        assert refused.json()["rule"] == "microcredit-borrower-eligible"


async def test_an_unreachable_registry_is_a_503_and_nothing_is_written(
    service_settings,  # type: ignore[no-untyped-def]
    connection: AsyncConnection,
    monitoring_app: FastAPI,
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    number = (await register_person(monitoring, token_for, birth=date(1980, 1, 1)))["members"][0]["id_number"]
    async with linked_funds(
        service_settings,
        connection,
        monitoring_app,
        session_on,
        today=date(2024, 4, 1),
        monitoring_url="http://127.0.0.1:9",
    ) as (funds, _):
        response = await funds.post("/loans", json=loan_body(number), headers=token_for("village", VILLAGE))
        assert response.status_code == 503
        assert response.json()["code"] == "registry-unavailable"
    assert await count(session_on(COMMON), Loan) == 0


async def test_a_key_without_the_registry_scope_cannot_check_a_borrower(
    service_settings,  # type: ignore[no-untyped-def]
    connection: AsyncConnection,
    monitoring_app: FastAPI,
    monitoring: httpx.AsyncClient,
    token_for: Tokens,
    session_on: Sessions,
) -> None:
    number = (await register_person(monitoring, token_for, birth=date(1980, 1, 1)))["members"][0]["id_number"]
    async with linked_funds(
        service_settings, connection, monitoring_app, session_on, today=date(2024, 4, 1), key_scopes=("deadlines",)
    ) as (funds, _):
        response = await funds.post("/loans", json=loan_body(number), headers=token_for("village", VILLAGE))
        assert response.status_code == 503
    assert await count(session_on(COMMON), Loan) == 0


async def test_plain_updates_take_if_match_and_never_touch_the_checked_terms(
    linked: tuple[httpx.AsyncClient, FastAPI], monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    funds, _ = linked
    headers = token_for("village", VILLAGE)
    number = (await register_person(monitoring, token_for, birth=date(1980, 1, 1)))["members"][0]["id_number"]
    loan = (await funds.post("/loans", json=loan_body(number), headers=headers)).json()
    path = f"/loans/{loan['id']}"
    assert (await funds.patch(path, json={"bank": "邮储银行"}, headers=headers)).status_code == 428
    stale = await funds.patch(path, json={"bank": "邮储银行"}, headers={**headers, "If-Match": '"9"'})
    assert stale.status_code == 412
    amount = await funds.patch(path, json={"amount": "60000"}, headers={**headers, "If-Match": '"1"'})
    assert amount.status_code == 422
    ok = await funds.patch(path, json={"bank": "邮储银行"}, headers={**headers, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json()["bank"] == "邮储银行" and ok.headers["ETag"] == '"2"'
