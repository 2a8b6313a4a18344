"""The microcredit rules a new loan must pass (CreditRules); each refusal names its rule. Nothing here writes."""

from dixian_shared import idnumber
from dixian_shared.contracts import RegistryPerson
from funds_api.credit.errors import (
    BorrowerAge,
    BorrowerNotEligible,
    BorrowerNotInRegistry,
    PurposeNotProduction,
    RateOverCap,
    TermTooLong,
)
from funds_api.credit.schedule import age_on
from funds_api.credit.schemas import LoanCreate
from funds_api.rules import CreditRules

IN_REGISTRY = "正常"


def check_terms(data: LoanCreate, rules: CreditRules) -> None:
    """The loan's own terms: term, rate, purpose and the borrower's age at the loan date."""
    if data.term_months > rules.max_term_months:
        raise TermTooLong(term_months=data.term_months, limit=rules.max_term_months)
    if data.annual_rate > rules.max_annual_rate:
        raise RateOverCap(rate=data.annual_rate, cap=rules.max_annual_rate)
    if data.purpose not in rules.production_purposes:
        raise PurposeNotProduction(purpose=data.purpose.value)
    age = age_on(idnumber.birth_date(data.borrower_id_number), data.loan_date)
    if not rules.borrower_min_age <= age <= rules.borrower_max_age:
        raise BorrowerAge(
            age=age, loan_date=data.loan_date, min_age=rules.borrower_min_age, max_age=rules.borrower_max_age
        )


def check_borrower(person: RegistryPerson, rules: CreditRules) -> None:
    """The registry's answer: a living, resident member of an eligible household."""
    if person.member_status != IN_REGISTRY or person.household_status != IN_REGISTRY:
        raise BorrowerNotInRegistry(member_status=person.member_status, household_status=person.household_status)
    if person.household_category not in rules.eligible_categories:
        raise BorrowerNotEligible(category=person.household_category, eligible="、".join(rules.eligible_categories))
