"""Errors of the income domain."""

from dixian_shared.errors import RuleViolation


class FutureIncomeYear(RuleViolation):
    slug = "income-year-not-over"
    template = "income for {year} cannot be recorded before the year begins (today is {today})"


class NoHouseholdSize(RuleViolation):
    slug = "household-size-unknown"
    template = "household {household_id} has no active member: send household_size explicitly"


class HouseholdDissolved(RuleViolation):
    slug = "household-dissolved"
    template = "household {household_id} is dissolved (注销); its income can no longer change"
