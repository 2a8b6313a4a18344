"""Errors of measures and look-backs; each refusal names the rule it enforces."""

from typing import Any, ClassVar

from dixian_shared.errors import Conflict, RuleViolation


class NamedRule(RuleViolation):
    """A RuleViolation whose rule name is fixed by the class, so callers only pass the template's values."""

    rule_name: ClassVar[str]

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        super().__init__(detail, rule=self.rule_name, **kwargs)


class SubTypeNotInCategory(NamedRule):
    slug, rule_name = "measure-sub-type", "measure-sub-type"
    template = "sub-type {sub_type} is not a sub-type of {category}; allowed: {allowed}"


class MeasurePeriod(NamedRule):
    slug, rule_name = "measure-period", "measure-period"
    template = "a measure cannot end ({end_on}) before it starts ({start_on})"


class StatusTransition(NamedRule):
    slug, rule_name = "measure-status-transition", "measure-status-transition"
    template = "a measure that is {current} cannot become {wanted}"


class ResultsRequired(NamedRule):
    slug, rule_name = "measure-results-required", "measure-results-required"
    template = "a measure marked 已完成 must say what it achieved (results)"


class HouseholdNotActive(NamedRule):
    slug, rule_name = "household-active", "household-active"
    template = "household {household_id} is {status}; it takes no new measures or look-backs"


class NotInFuture(NamedRule):
    slug, rule_name = "date-not-in-future", "date-not-in-future"
    template = "{field} {value} is after today ({today})"


class DueNotInPast(NamedRule):
    slug, rule_name = "lookback-due-not-past", "lookback-due-not-past"
    template = "a look-back is scheduled for today or later, not {due_on} (today is {today})"


class LookbackAlreadyRecorded(Conflict):
    slug = "lookback-already-recorded"
    template = "look-back {lookback_id} was already recorded on {done_on}"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rule="lookback-recorded-once", **kwargs)
