"""After-loan supervision: repayments, the due list (flagged ahead, then overdue), extensions, renewals, 贴息."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from conftest import OTHER_VILLAGE, VILLAGE
from funds_api.credit.models import LoanExtension, LoanRepayment
from funds_api.models import COMMON
from funds_api.rules import CreditRules, FundsRules

from .funds_support import Sessions, Tokens, count, linked_funds, register_person, service_key

Linked = tuple[httpx.AsyncClient, FastAPI]


@pytest.fixture
async def linked(service_settings, connection: AsyncConnection, monitoring_app: FastAPI, session_on: Sessions):  # type: ignore[no-untyped-def]
    rules = FundsRules(credit=CreditRules(subsidy_rate=Decimal("0.0200")))
    async with linked_funds(
        service_settings, connection, monitoring_app, session_on, today=date(2024, 12, 31), rules=rules
    ) as pair:
        yield pair


async def make_loan(funds: httpx.AsyncClient, monitoring: httpx.AsyncClient, tokens: Tokens, **fields: Any) -> dict:
    number = (await register_person(monitoring, tokens, birth=date(1980, 1, 1)))["members"][0]["id_number"]
    body = {
        "borrower_id_number": number,
        "bank": "邮储银行",
        "contract_number": f"C-{number}",
        "amount": "12000",
        "annual_rate": "0.0310",
        "term_months": 12,
        "loan_date": "2024-01-10",
        "purpose": "种植业",
        **fields,
    }
    response = await funds.post("/loans", json=body, headers=tokens("village", VILLAGE))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def repay(
    funds: httpx.AsyncClient, loan_id: int, headers: dict[str, str], paid_on: str, principal: str, interest: str
) -> httpx.Response:
    body = {"paid_on": paid_on, "principal": principal, "interest": interest}
    return await funds.post(f"/loans/{loan_id}/repayments", json=body, headers=headers)


async def test_instalments_are_flagged_ahead_then_overdue_and_a_repayment_clears_them(
    linked: Linked, monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    funds, _ = linked
    headers = token_for("village", VILLAGE)
    loan = await make_loan(funds, monitoring, token_for, repayment_method="等额本金", period_months=3)
    first = loan["schedule"][0]
    assert (first["due_on"], first["principal_due"]) == ("2024-04-10", "3000.00")

    def due(on: str, **extra: str) -> Any:
        return funds.get("/loans/due", params={"on": on, **extra}, headers=headers)

    too_early = (await due("2024-03-10")).json()  # 31 days ahead: outside the 30-day window
    assert too_early["items"] == [] and too_early["window_days"] == 30
    ahead = (await due("2024-03-11")).json()
    assert [(i["loan_id"], i["seq"], i["state"]) for i in ahead["items"]] == [(loan["id"], 1, "逾期风险")]
    assert ahead["counts"] == {"逾期风险": 1, "已逾期": 0}
    on_the_day = (await due("2024-04-10")).json()
    assert on_the_day["items"][0]["state"] == "逾期风险"
    missed = (await due("2024-04-11")).json()
    assert missed["items"][0]["state"] == "已逾期"
    assert Decimal(missed["items"][0]["principal_short"]) == Decimal(3000)
    assert (
        await funds.get("/loans/due", params={"on": "2024-04-11"}, headers=token_for("village", OTHER_VILLAGE))
    ).json()["items"] == []

    paid = await funds.post(
        f"/loans/{loan['id']}/repayments",
        json={"paid_on": "2024-04-12", "principal": "3000", "interest": first["interest_due"]},
        headers=headers,
    )
    assert paid.status_code == 201, paid.text
    assert (await due("2024-04-11")).json()["items"][0]["state"] == "已逾期"  # as it stood that day
    assert (await due("2024-04-12")).json()["items"] == []
    detail = (await funds.get(f"/loans/{loan['id']}", headers=headers)).json()
    assert [line["paid"] for line in detail["schedule"]] == [True, False, False, False]
    assert Decimal(detail["outstanding"]) == Decimal(9000)


async def test_a_repayment_over_the_principal_owed_is_refused_and_the_last_one_settles_the_loan(
    linked: Linked, monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    funds, _ = linked
    headers = token_for("village", VILLAGE)
    loan = await make_loan(funds, monitoring, token_for)
    path = f"/loans/{loan['id']}/repayments"
    over = await funds.post(
        path, json={"paid_on": "2024-06-01", "principal": "12000.01", "interest": "0"}, headers=headers
    )
    assert over.status_code == 422 and over.json()["rule"] == "repayment-over-outstanding"
    assert await count(session_on(COMMON), LoanRepayment) == 0
    before_loan = await funds.post(
        path, json={"paid_on": "2024-01-09", "principal": "1", "interest": "0"}, headers=headers
    )
    assert before_loan.status_code == 422
    done = await funds.post(
        path, json={"paid_on": "2024-06-01", "principal": "12000", "interest": "150"}, headers=headers
    )
    assert done.status_code == 201
    settled = (await funds.get(f"/loans/{loan['id']}", headers=headers)).json()
    assert (settled["status"], settled["settled_on"], settled["outstanding"]) == ("已结清", "2024-06-01", "0.00")
    again = await repay(funds, loan["id"], headers, "2024-06-02", "0", "1")
    assert again.json()["rule"] == "loan-closed"


async def test_an_extension_redraws_the_schedule_once_and_within_the_limit(
    linked: Linked, monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    funds, _ = linked
    headers = token_for("village", VILLAGE)
    loan = await make_loan(funds, monitoring, token_for)  # quarterly interest, principal on 2025-01-10
    path = f"/loans/{loan['id']}/extensions"
    body = {"approved_on": "2024-12-20", "new_maturity": "2025-07-10", "reason": "肉牛出栏推迟"}
    assert (await funds.post(path, json=body, headers=headers)).status_code == 428
    too_far = await funds.post(
        path, json={**body, "new_maturity": "2026-01-11"}, headers={**headers, "If-Match": '"1"'}
    )
    assert too_far.json()["rule"] == "microcredit-extension-limit"
    assert await count(session_on(COMMON), LoanExtension) == 0

    extended = await funds.post(path, json=body, headers={**headers, "If-Match": '"1"'})
    assert extended.status_code == 201, extended.text
    detail = (await funds.get(f"/loans/{loan['id']}", headers=headers)).json()
    assert detail["maturity_date"] == "2025-07-10" and detail["extension_count"] == 1
    dues = [(line["seq"], line["due_on"], line["principal_due"]) for line in detail["schedule"]]
    assert dues == [
        (1, "2024-04-10", "0.00"),
        (2, "2024-07-10", "0.00"),
        (3, "2024-10-10", "0.00"),
        (4, "2025-01-10", "0.00"),
        (5, "2025-04-10", "0.00"),
        (6, "2025-07-10", "12000.00"),
    ]
    second = await funds.post(
        path, json={**body, "new_maturity": "2025-08-10"}, headers={**headers, "If-Match": extended.headers["ETag"]}
    )
    assert second.json()["rule"] == "microcredit-extension-limit"
    assert await count(session_on(COMMON), LoanExtension) == 1


async def test_a_renewal_closes_the_old_loan_and_is_allowed_once(
    linked: Linked, monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    funds, _ = linked
    headers = token_for("village", VILLAGE)
    loan = await make_loan(funds, monitoring, token_for)
    renewal = {
        "borrower_id_number": loan["borrower_id_number"],
        "bank": "邮储银行",
        "contract_number": "R-1",
        "amount": "40000",
        "annual_rate": "0.0300",
        "term_months": 12,
        "loan_date": "2024-12-01",
        "purpose": "种植业",
        "renews_loan_id": loan["id"],
    }
    renewed = await funds.post("/loans", json=renewal, headers=headers)
    assert renewed.status_code == 201, renewed.text
    assert renewed.json()["renewal_count"] == 1
    old = (await funds.get(f"/loans/{loan['id']}", headers=headers)).json()
    assert old["status"] == "已续贷"
    again = await funds.post(
        "/loans", json={**renewal, "contract_number": "R-2", "renews_loan_id": renewed.json()["id"]}, headers=headers
    )
    assert again.json()["rule"] == "microcredit-renewal"


async def test_the_interest_subsidy_is_the_configured_rate_on_interest_paid_rounded_per_repayment(
    linked: Linked, monitoring: httpx.AsyncClient, token_for: Tokens
) -> None:
    funds, _ = linked
    headers = token_for("village", VILLAGE)
    loan = await make_loan(funds, monitoring, token_for)
    cheap = await make_loan(funds, monitoring, token_for, annual_rate="0.0150", amount="5000")
    paid = [(loan["id"], "93.55"), (loan["id"], "94.06"), (cheap["id"], "18.75"), (loan["id"], "7.77")]
    for n, (loan_id, interest) in enumerate(paid):
        day = "2025-01-05" if n == 3 else "2024-04-10"
        await funds.post(
            f"/loans/{loan_id}/repayments",
            json={"paid_on": day, "principal": "0", "interest": interest},
            headers=headers,
        )
    report = (
        await funds.get("/loans/subsidy", params={"date_from": "2024-01-01", "date_to": "2024-12-31"}, headers=headers)
    ).json()

    def fen(value: Decimal) -> Decimal:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    # 2.00% of a 3.10% loan's interest; a 1.50% loan is below the subsidy rate, so all its interest is refunded.
    expected_main = fen(Decimal("93.55") * Decimal("0.02") / Decimal("0.031")) + fen(
        Decimal("94.06") * Decimal("0.02") / Decimal("0.031")
    )
    lines = {line["loan_id"]: line for line in report["items"]}
    assert Decimal(lines[loan["id"]]["subsidy"]) == expected_main
    assert Decimal(lines[loan["id"]]["interest_paid"]) == Decimal("187.61")
    assert Decimal(lines[cheap["id"]]["subsidy"]) == Decimal("18.75")
    assert Decimal(report["total_subsidy"]) == expected_main + Decimal("18.75")
    assert Decimal(report["subsidy_rate"]) == Decimal("0.0200")
    assert "四舍五入" in report["rounding"]
    first_page = (
        await funds.get(
            "/loans/subsidy", params={"date_from": "2024-01-01", "date_to": "2024-12-31", "limit": 1}, headers=headers
        )
    ).json()
    assert len(first_page["items"]) == 1 and first_page["next_cursor"]
    assert first_page["total_subsidy"] == report["total_subsidy"]


async def test_loan_repayments_reach_get_deadlines_per_village_from_the_due_list_definition(
    linked: Linked, monitoring: httpx.AsyncClient, token_for: Tokens, session_on: Sessions
) -> None:
    funds, _ = linked
    first = await make_loan(funds, monitoring, token_for, repayment_method="等额本金", period_months=3)
    await make_loan(funds, monitoring, token_for, loan_date="2024-01-11")
    key = {"X-API-Key": await service_key(session_on, "deadlines")}
    assert (
        await funds.get("/deadlines", params={"on": "2024-04-01"}, headers=token_for("village", VILLAGE))
    ).status_code == 403

    report = (await funds.get("/deadlines", params={"on": "2024-04-01", "horizon_days": 10}, headers=key)).json()
    loans = [i for i in report["items"] if i["kind"] == "funds.loan_repayment"]
    assert [(i["nominal_deadline"], i["state"], i["count"]) for i in loans] == [
        ("2024-04-10", "upcoming", 1),
        ("2024-04-11", "upcoming", 1),
    ]
    assert all(i["region_code"] == VILLAGE and i["level"] == "village" for i in loans)
    assert loans[0]["link"] == f"/loans/due?region_code={VILLAGE}"

    await repay(funds, first["id"], token_for("village", VILLAGE), "2024-04-10", "3000", "0")
    late = (await funds.get("/deadlines", params={"on": "2024-05-20", "horizon_days": 0}, headers=key)).json()
    items = [(i["nominal_deadline"], i["state"], i["count"]) for i in late["items"]]
    # The first loan's interest is still owed, and the second's: both counted under the latest missed due date.
    assert items == [("2024-04-11", "overdue", 2)]
    elsewhere = await funds.get("/deadlines", params={"on": "2024-05-20", "region_code": OTHER_VILLAGE}, headers=key)
    assert elsewhere.json()["items"] == []
